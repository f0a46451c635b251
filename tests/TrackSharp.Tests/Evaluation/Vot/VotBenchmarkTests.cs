using TrackSharp.Checkpoints;
using TrackSharp.Evaluation.Vot;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.Evaluation.Vot;

/// <summary>
/// pysot VOT A/R and EAO parity on the golden VOT2018-layout benchmark (5 sequences, trk_good and trk_noisy):
/// per frame against outputs/pysot_frames.npz, overall against outputs/pysot.json <c>modes.vot</c>.
/// </summary>
public class VotBenchmarkTests(ITestOutputHelper output)
{
    private const double ScoreTolerance = 1e-9;

    private static readonly Lazy<Npz> Frames = new(() => Npz.Load(GoldenMetrics.PathOf(Path.Combine("outputs", "pysot_frames.npz"))));

    public static TheoryData<string> TrackerNames => new(VotGoldenData.Trackers);

    [Theory]
    [MemberData(nameof(TrackerNames))]
    public void PerFrameFailuresAndOverlapsMatchPysot(string tracker)
    {
        double worst = 0;
        foreach (var run in VotGoldenData.Runs(tracker))
        {
            string seq = run.Sequence.Name;
            var trajectory = run.Repetitions[0];

            // vot/<trk>/<seq>/failures: statistics.calculate_failures
            Assert.Equal(Frames.Value[$"vot/{tracker}/{seq}/failures"].ToLongArray(),
                VotStatistics.CalculateFailures(trajectory).Select(i => (long)i).ToArray());

            // vot_ar/.../overlap_burnin10_bound_WH: calculate_accuracy(burnin=10, bound=(W, H)) as used by the A/R benchmark
            var ar = AccuracyRobustnessBenchmark.EvaluateSequence(run).Overlaps;
            worst = Math.Max(worst, AssertSameOverlaps(Frames.Value[$"vot_ar/{tracker}/{seq}/overlap_burnin10_bound_WH"].ToDoubleArray(), ar, $"{tracker}/{seq} A/R"));

            // vot_eao/.../overlap_noburnin_bound_W-1H-1: calculate_accuracy(bound=(W-1, H-1)) as used by EAO
            var eao = VotStatistics.CalculateAccuracy(trajectory, run.Sequence.GroundTruth, 0,
                RegionBounds.FromSize(run.Sequence.Width - 1, run.Sequence.Height - 1)).Overlaps;
            worst = Math.Max(worst, AssertSameOverlaps(Frames.Value[$"vot_eao/{tracker}/{seq}/overlap_noburnin_bound_W-1H-1"].ToDoubleArray(), eao, $"{tracker}/{seq} EAO"));
        }
        output.WriteLine($"{tracker}: worst per-frame overlap error {worst:E3}");
    }

    [Theory]
    [MemberData(nameof(TrackerNames))]
    public void EaoFragmentsWeightsAndCurveMatchPysot(string tracker)
    {
        var result = EaoBenchmark.Evaluate(VotGoldenData.Runs(tracker), EaoWindow.Vot2018);

        var fragments = Frames.Value[$"vot_eao/{tracker}/fragments"];
        int rows = (int)fragments.Shape[0], cols = (int)fragments.Shape[1];
        var flat = fragments.ToDoubleArray();
        Assert.Equal(rows, result.Fragments.Count);
        for (int f = 0; f < rows; f++)
            AssertSameOverlaps(flat.AsSpan(f * cols, cols).ToArray(), result.Fragments[f], $"{tracker} fragment {f}");
        AssertSameOverlaps(Frames.Value[$"vot_eao/{tracker}/fweights"].ToDoubleArray(), result.FragmentWeights, $"{tracker} fweights");

        var expected = Frames.Value[$"vot_eao/{tracker}/expected_overlaps"].ToFloatArray();
        double worst = MaxError(expected.Select(v => (double)v).ToArray(), result.ExpectedOverlaps.Select(v => (double)v).ToArray());
        output.WriteLine($"{tracker}: {rows} fragments; worst expected-overlap error {worst:E3}");
        Assert.True(worst <= 1e-7, $"expected overlaps differ by {worst:E3}");
    }

    [Theory]
    [MemberData(nameof(TrackerNames))]
    public void AccuracyRobustnessMatchPysotJson(string tracker)
    {
        using var doc = GoldenMetrics.Load(Path.Combine("outputs", "pysot.json"));
        var golden = doc.RootElement.GetProperty("modes").GetProperty("vot").GetProperty("ar").GetProperty(tracker);
        var result = AccuracyRobustnessBenchmark.Evaluate(VotGoldenData.Runs(tracker));

        double worst = 0;
        void Check(double expected, double actual, string what)
        {
            double err = Math.Abs(expected - actual);
            worst = Math.Max(worst, err);
            Assert.True(err <= ScoreTolerance, $"{tracker} {what}: {actual:R} vs {expected:R}");
        }
        Check(golden.GetProperty("accuracy").GetDouble(), result.Accuracy, "accuracy");
        Check(golden.GetProperty("robustness").GetDouble(), result.Robustness, "robustness");
        Check(golden.GetProperty("lost_number").GetDouble(), result.LostNumber, "lost_number");
        Assert.Equal(golden.GetProperty("total_length").GetInt32(), result.TotalLength);

        var perSequence = golden.GetProperty("per_sequence");
        foreach (var s in result.Sequences)
        {
            var g = perSequence.GetProperty(s.Name);
            Check(GoldenMetrics.Number(g.GetProperty("accuracy")), s.Accuracy, $"{s.Name} accuracy");
            Check(g.GetProperty("lost_number").GetDouble(), s.LostNumber, $"{s.Name} lost_number");
            Assert.Equal(g.GetProperty("failures_per_repetition").EnumerateArray().Select(e => e.GetInt32()), s.FailuresPerRepetition);
            Assert.Equal(g.GetProperty("n_frames").GetInt32(), s.Overlaps.Length);
            Assert.Equal(g.GetProperty("n_frames_in_accuracy").GetInt32(), s.FramesInAccuracy);
        }
        output.WriteLine($"{tracker}: worst A/R error {worst:E3}");
    }

    [Theory]
    [InlineData("VOT2016")]
    [InlineData("VOT2018")]
    [InlineData("VOT2019")]
    public void EaoMatchesPysotJson(string dataset)
    {
        using var doc = GoldenMetrics.Load(Path.Combine("outputs", "pysot.json"));
        var golden = doc.RootElement.GetProperty("modes").GetProperty("vot").GetProperty("eao").GetProperty(dataset);
        var window = EaoWindow.ForDataset(dataset);
        Assert.Equal(golden.GetProperty("low").GetInt32(), window.Low);
        Assert.Equal(golden.GetProperty("high").GetInt32(), window.High);
        Assert.Equal(golden.GetProperty("peak").GetInt32(), window.Peak);

        double worst = 0;
        foreach (var tracker in golden.GetProperty("trackers").EnumerateObject())
        {
            var result = EaoBenchmark.Evaluate(VotGoldenData.Runs(tracker.Name), window);
            double err = Math.Abs(tracker.Value.GetProperty("eao").GetDouble() - result.Eao);
            worst = Math.Max(worst, err);
            Assert.True(err <= ScoreTolerance, $"{dataset} {tracker.Name} EAO {result.Eao:R} vs {tracker.Value.GetProperty("eao").GetDouble():R}");
            if (tracker.Value.TryGetProperty("expected_overlaps_float32", out var curve))
            {
                double curveErr = MaxError(GoldenMetrics.Numbers(curve), result.ExpectedOverlaps.Select(v => (double)v).ToArray());
                worst = Math.Max(worst, curveErr);
                Assert.True(curveErr <= 1e-7, $"{dataset} {tracker.Name} curve differs by {curveErr:E3}");
            }
        }
        output.WriteLine($"{dataset}: worst EAO error {worst:E3}");
    }

    /// <summary>Same length, NaN where the golden has NaN, and the largest absolute difference elsewhere (asserted exact).</summary>
    private static double AssertSameOverlaps(double[] expected, IReadOnlyList<double> actual, string what)
    {
        Assert.True(expected.Length == actual.Count, $"{what}: {actual.Count} frames vs {expected.Length}");
        double worst = MaxError(expected, actual);
        Assert.True(worst == 0, $"{what}: max error {worst:E3}");
        return worst;
    }

    private static double MaxError(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            if (double.IsNaN(expected[i]) || double.IsNaN(actual[i]))
            {
                if (double.IsNaN(expected[i]) != double.IsNaN(actual[i])) return double.PositiveInfinity;
                continue;
            }
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }
        return worst;
    }
}
