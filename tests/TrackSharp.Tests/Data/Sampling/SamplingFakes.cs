using TrackSharp.Data.Sampling;

namespace TrackSharp.Tests.Data.Sampling;

/// <summary>In-memory datasets for the sampler tests.</summary>
internal static class SamplingFakes
{
    /// <summary><paramref name="sequences"/> sequences of <paramref name="length"/> frames, all visible.</summary>
    public static InMemorySampleSource AllVisible(string name, int sequences, int length) =>
        new(name, Enumerable.Range(0, sequences).Select(_ => (IReadOnlyList<bool>)Enumerable.Repeat(true, length).ToArray()));

    /// <summary>Sequences whose frames are visible with probability <paramref name="pVisible"/> (fixed by <paramref name="seed"/>).</summary>
    public static InMemorySampleSource Random(string name, int sequences, int length, double pVisible, int seed)
    {
        var random = new System.Random(seed);
        return new InMemorySampleSource(name, Enumerable.Range(0, sequences)
            .Select(_ => (IReadOnlyList<bool>)Enumerable.Range(0, length).Select(_ => random.NextDouble() < pVisible).ToArray()));
    }

    public static InMemorySampleSource Of(string name, params bool[][] sequences) =>
        new(name, sequences.Select(s => (IReadOnlyList<bool>)s));

    /// <summary>A comparable text for a sample.</summary>
    public static string Key(TrackingSample s) => s.ToString() + $" #{s.DatasetIndex}/{s.SequenceIndex}";
}
