namespace TrackSharp.Training.Monitoring;

/// <summary>
/// A series of values seen through a sliding window (maskrcnn-benchmark's <c>SmoothedValue</c>): the window
/// median and average smooth the noisy per-iteration losses for log lines, the global average covers every value.
/// The median of an even-sized window is the LOWER of the two middle values, as <c>torch.median</c> (which the
/// reference calls) returns it. Not thread-safe: one trainer loop updates it.
/// </summary>
public sealed class SmoothedValue
{
    /// <summary>The reference's window: 20 values.</summary>
    public const int DefaultWindow = 20;

    private readonly Queue<double> _window = new();

    public SmoothedValue(int windowSize = DefaultWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        WindowSize = windowSize;
    }

    public int WindowSize { get; }

    /// <summary>How many values were added in total.</summary>
    public long Count { get; private set; }

    /// <summary>Sum of every value added.</summary>
    public double Total { get; private set; }

    /// <summary>The last value added (NaN before the first).</summary>
    public double Latest { get; private set; } = double.NaN;

    public void Update(double value)
    {
        _window.Enqueue(value);
        if (_window.Count > WindowSize) _window.Dequeue();
        Count++;
        Total += value;
        Latest = value;
    }

    /// <summary>Median of the window (lower middle for an even count); NaN when empty.</summary>
    public double Median
    {
        get
        {
            if (_window.Count == 0) return double.NaN;
            var sorted = _window.ToArray();
            Array.Sort(sorted);
            return sorted[(sorted.Length - 1) / 2];
        }
    }

    /// <summary>Mean of the window; NaN when empty.</summary>
    public double Average => _window.Count == 0 ? double.NaN : _window.Average();

    /// <summary>Mean of every value added; NaN when none.</summary>
    public double GlobalAverage => Count == 0 ? double.NaN : Total / Count;
}
