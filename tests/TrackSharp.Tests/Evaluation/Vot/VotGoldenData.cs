using System.Text.Json;
using TrackSharp.Evaluation.Vot;

namespace TrackSharp.Tests.Evaluation.Vot;

/// <summary>The VOT part of golden/metrics/inputs: sequences (sizes from sequences.json <c>vot[]</c>, VOT2018 layout) and baseline results.</summary>
internal static class VotGoldenData
{
    public static readonly string[] Trackers = ["trk_good", "trk_noisy"];

    private static readonly Lazy<IReadOnlyList<VotSequence>> LazySequences = new(LoadSequences);

    public static IReadOnlyList<VotSequence> Sequences => LazySequences.Value;

    public static string ResultsDir => GoldenMetrics.PathOf(Path.Combine("inputs", "results", "vot", "VOT2018"));

    public static IReadOnlyList<VotTrackerRun> Runs(string tracker) =>
        Sequences.Select(s => VotTrackerRun.Load(ResultsDir, tracker, s)).ToList();

    private static IReadOnlyList<VotSequence> LoadSequences()
    {
        using var doc = GoldenMetrics.Load(Path.Combine("inputs", "sequences.json"));
        string datasetDir = GoldenMetrics.PathOf(Path.Combine("inputs", "datasets", "vot"));
        return doc.RootElement.GetProperty("vot").EnumerateArray()
            .Select(v => VotSequence.Load(datasetDir, v.GetProperty("name").GetString()!,
                v.GetProperty("width").GetInt32(), v.GetProperty("height").GetInt32()))
            .ToList();
    }
}
