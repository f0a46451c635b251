using System.Diagnostics;

namespace TrackSharp.Training.Monitoring;

/// <summary>
/// Wall-clock seconds per phase of one training iteration (video_analyst's <c>Timer(name, output_dict)</c>):
/// <c>using (timer.Measure("fwd")) { ... }</c>. <see cref="Seconds"/> keeps the phases in first-measured order
/// (data, fwd, bwd, optim for the engine's loop); a phase measured twice in one iteration adds up.
/// Call <see cref="Reset"/> at the start of each iteration.
/// </summary>
public sealed class PhaseTimer
{
    /// <summary>The engine loop's phases, in order.</summary>
    public const string Data = "data", Forward = "fwd", Backward = "bwd", Optimizer = "optim";

    private readonly List<KeyValuePair<string, double>> _seconds = [];

    /// <summary>Seconds per phase of the current iteration, in first-measured order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Seconds => _seconds;

    public void Reset() => _seconds.Clear();

    /// <summary>Starts timing <paramref name="phase"/>; disposing the result stops it and records the time.</summary>
    public Measurement Measure(string phase) => new(this, phase, Stopwatch.GetTimestamp());

    /// <summary>Adds <paramref name="seconds"/> to <paramref name="phase"/>.</summary>
    public void Add(string phase, double seconds)
    {
        int i = _seconds.FindIndex(p => p.Key == phase);
        if (i < 0) _seconds.Add(new(phase, seconds));
        else _seconds[i] = new(phase, _seconds[i].Value + seconds);
    }

    /// <summary>A running measurement of one phase.</summary>
    public readonly struct Measurement(PhaseTimer timer, string phase, long start) : IDisposable
    {
        public void Dispose() => timer.Add(phase, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
}
