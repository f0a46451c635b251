using TrackSharp.Data.Sampling;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>
/// Where the training augmentation gets its random numbers: one value drawn uniformly from [low, high) per call
/// (NumPy's <c>rng.uniform(low, high)</c>). The pair crop asks for its draws through this interface in the
/// reference's order, so a production generator and a recorded sequence (for replaying the reference's draws
/// exactly) are interchangeable.
/// </summary>
public interface IUniformDraws
{
    /// <summary>A value in [<paramref name="low"/>, <paramref name="high"/>); <paramref name="low"/> when both are equal.</summary>
    double Uniform(double low, double high);
}

/// <summary>Production draws: <c>low + (high - low) * u</c> with <c>u</c> from a seeded generator (NumPy's formula,
/// not NumPy's stream).</summary>
public sealed class RandomUniformDraws : IUniformDraws
{
    private readonly Func<double> _next;

    /// <param name="random">A seeded <see cref="Random"/> (e.g. the loader's per-sample generator).</param>
    public RandomUniformDraws(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _next = random.NextDouble;
    }

    /// <param name="random">A <see cref="SampleRandom"/> keyed by (seed, epoch, index).</param>
    public RandomUniformDraws(SampleRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _next = random.NextDouble;
    }

    public double Uniform(double low, double high) => low + (high - low) * _next();
}

/// <summary>One recorded draw: the bounds the reference asked for and the value it got.</summary>
public readonly record struct RecordedDraw(double Low, double High, double Value);

/// <summary>
/// Replays recorded draws in order (e.g. the reference's <c>rng.uniform</c> calls of one <c>crop_track_pair</c>).
/// Each call must ask for the recorded bounds: a mismatch or running out means the caller's draw order differs
/// from the recording, and throws naming the draw.
/// </summary>
public sealed class ReplayUniformDraws(IReadOnlyList<RecordedDraw> draws) : IUniformDraws
{
    private int _next;

    /// <summary>Draws consumed so far.</summary>
    public int Consumed => _next;

    /// <summary>Draws not consumed yet.</summary>
    public int Remaining => draws.Count - _next;

    /// <exception cref="InvalidOperationException">No draw left, or the bounds differ from the recorded ones.</exception>
    public double Uniform(double low, double high)
    {
        if (_next >= draws.Count)
            throw new InvalidOperationException($"draw {_next} asked for U({low:R}, {high:R}) but only {draws.Count} draws were recorded");
        var d = draws[_next];
        if (d.Low != low || d.High != high)
            throw new InvalidOperationException(
                $"draw {_next} asked for U({low:R}, {high:R}) but the recording has U({d.Low:R}, {d.High:R})");
        _next++;
        return d.Value;
    }
}
