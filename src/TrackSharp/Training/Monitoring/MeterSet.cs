using System.Globalization;

namespace TrackSharp.Training.Monitoring;

/// <summary>
/// Named <see cref="SmoothedValue"/>s in first-update order (maskrcnn-benchmark's <c>MetricLogger</c>):
/// <c>meters.Update("loss_cls", 0.7)</c> per iteration, <c>meters.ToString()</c> gives
/// <c>loss_cls: 0.6931 (0.7012)  time: 0.2100 (0.2200)</c>, i.e. <c>name: median (global_avg)</c> with four
/// decimals, joined by <see cref="Delimiter"/>.
/// </summary>
public sealed class MeterSet
{
    private readonly Dictionary<string, SmoothedValue> _meters = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public MeterSet(int windowSize = SmoothedValue.DefaultWindow, string delimiter = "  ")
    {
        WindowSize = windowSize;
        Delimiter = delimiter;
    }

    public int WindowSize { get; }

    /// <summary>Between two meters in <see cref="ToString"/> (FCOS uses two spaces).</summary>
    public string Delimiter { get; }

    public IReadOnlyList<string> Names => _order;

    /// <summary>The meter called <paramref name="name"/>; a missing name throws naming it.</summary>
    public SmoothedValue this[string name] => _meters.TryGetValue(name, out var m) ? m
        : throw new KeyNotFoundException($"no meter '{name}' (have: {string.Join(", ", _order)})");

    public bool Contains(string name) => _meters.ContainsKey(name);

    public void Update(string name, double value)
    {
        if (!_meters.TryGetValue(name, out var meter))
        {
            meter = new SmoothedValue(WindowSize);
            _meters[name] = meter;
            _order.Add(name);
        }
        meter.Update(value);
    }

    public void Update(IEnumerable<KeyValuePair<string, double>> values)
    {
        foreach (var (name, value) in values) Update(name, value);
    }

    public override string ToString() => string.Join(Delimiter, _order.Select(n =>
        $"{n}: {_meters[n].Median.ToString("F4", CultureInfo.InvariantCulture)} " +
        $"({_meters[n].GlobalAverage.ToString("F4", CultureInfo.InvariantCulture)})"));
}
