using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Evaluation.Got10k;
using Xunit;
using Xunit.Abstractions;
using static TrackSharp.Tests.Evaluation.GoldenMetrics;

namespace TrackSharp.Tests.Evaluation.Got10k;

/// <summary>
/// ExperimentGOT10k.report (val) against golden/metrics/outputs/got10k_toolkit.json <c>modes.got10k_val</c> and the
/// per-frame IoUs of got10k_toolkit_frames.npz <c>got10k_val/&lt;trk&gt;/&lt;seq&gt;/rep00N/*</c>.
/// </summary>
public class Got10kValReportTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<Got10kValSequence> Dataset =
        Got10kValDataset.Load(Inputs("datasets", "got10k", "val"));

    private static string TrackerDir(string tracker) => Inputs("results", "GOT-10k", tracker);

    private static JsonElement Expected(string tracker) =>
        Json("got10k_toolkit.json").GetProperty("modes").GetProperty("got10k_val").GetProperty("trackers").GetProperty(tracker);

    [Fact]
    public void ThresholdsAreNumpysLinspace()
    {
        var expected = Numbers(Json("got10k_toolkit.json").GetProperty("modes").GetProperty("got10k_val")
            .GetProperty("thresholds").GetProperty("succ_curve"));
        Assert.Equal(expected, Got10kThresholds.Got10kSuccess);
    }

    [Theory]
    [InlineData("trk_good")]
    [InlineData("trk_noisy")]
    public void OverallAndPerSequenceMatchTheToolkit(string tracker)
    {
        var expected = Expected(tracker);
        var overall = expected.GetProperty("overall");
        Assert.Equal("ok", overall.GetProperty("status").GetString());
        var sequences = Strings(overall.GetProperty("sequences")).Select(n => Dataset.Single(s => s.Name == n)).ToArray();
        var result = Got10kValReport.Evaluate(sequences, TrackerDir(tracker));
        double worst = CompareOverall(overall, result, $"{tracker} overall");
        worst = Math.Max(worst, ComparePerSequence(expected.GetProperty("per_sequence"), result, tracker));
        output.WriteLine($"got10k_val {tracker}: worst error {worst:E3}");
    }

    [Fact]
    public void NastyTrackerIsRefusedAndTheSubsetMatches()
    {
        var expected = Expected("trk_nasty");
        Assert.Equal("error", expected.GetProperty("overall").GetProperty("status").GetString());
        // The full set holds result files whose length differs from the GT: the toolkit's assertion fires.
        var ex = Assert.Throws<Got10kEvaluationException>(() => Got10kValReport.Evaluate(Dataset, TrackerDir("trk_nasty")));
        Assert.Contains("rows", ex.Message);
        Assert.Contains("ground truth", ex.Message);
        foreach (var seq in expected.GetProperty("per_sequence").EnumerateObject())
        {
            if (seq.Value.GetProperty("status").GetString() != "error") continue;
            var one = Dataset.Where(s => s.Name == seq.Name).ToArray();
            var e = Assert.Throws<Got10kEvaluationException>(() => Got10kValReport.Evaluate(one, TrackerDir("trk_nasty")));
            Assert.Contains($"{seq.Name}_001.txt", e.Message);
        }

        var subset = expected.GetProperty("overall_subset");
        var sequences = Strings(subset.GetProperty("sequences")).Select(n => Dataset.Single(s => s.Name == n)).ToArray();
        var result = Got10kValReport.Evaluate(sequences, TrackerDir("trk_nasty"));
        Assert.True(double.IsNaN(result.AverageOverlap)); // a NaN result row in a kept frame: AO NaN, as the toolkit
        double worst = CompareOverall(subset, result, "trk_nasty overall_subset");
        worst = Math.Max(worst, ComparePerSequence(expected.GetProperty("per_sequence"), result, "trk_nasty"));
        output.WriteLine($"got10k_val trk_nasty subset: worst error {worst:E3}");
    }

    [Theory]
    [InlineData("trk_good", "border-2")]
    [InlineData("trk_noisy", "border-2")]
    [InlineData("trk_noisy", "invalidgt-3")]
    [InlineData("trk_noisy", "absent-4")]
    [InlineData("trk_nasty", "trknan-5")]
    [InlineData("trk_nasty", "plain-1")]
    public void FrameIousMatchTheToolkit(string tracker, string sequence)
    {
        using var npz = Npz.Load(Outputs("got10k_toolkit_frames.npz"));
        var seq = Dataset.Single(s => s.Name == sequence);
        var files = Got10kValReport.RepetitionFiles(TrackerDir(tracker), sequence);
        double worst = 0;
        for (int r = 0; r < files.Count; r++)
        {
            string key = $"got10k_val/{tracker}/{sequence}/rep{r + 1:000}";
            var boxes = NumericTextFile.ReadBoxes(files[r], FieldSeparator.Comma);
            var ious = Got10kValReport.FrameIous(seq, boxes);
            worst = Math.Max(worst, AssertClose(npz[$"{key}/iou_frames_1_to_N"].ToDoubleArray(), ious, key, 1e-12));
            bool[] coverZero = npz[$"{key}/cover_gt_0"].ToBoolArray();
            Assert.Equal(coverZero, seq.Cover.Skip(1).Select(c => c > 0).ToArray());
        }
        output.WriteLine($"{tracker}/{sequence}: {files.Count} repetitions, worst error {worst:E3}");
    }

    private static double CompareOverall(JsonElement e, Got10kValResult r, string what)
    {
        double worst = AssertClose(Number(e.GetProperty("ao")), r.AverageOverlap, $"{what} ao");
        worst = Math.Max(worst, AssertClose(Number(e.GetProperty("sr")), r.SuccessRate, $"{what} sr"));
        worst = Math.Max(worst, AssertClose(Number(e.GetProperty("speed_fps")), r.SpeedFps, $"{what} speed_fps"));
        worst = Math.Max(worst, AssertClose(Numbers(e.GetProperty("succ_curve")), r.SuccessCurve, $"{what} succ_curve"));
        worst = Math.Max(worst, AssertClose(Number(e.GetProperty("sr50_from_succ_curve")), r.SuccessRate50, $"{what} sr50"));
        worst = Math.Max(worst, AssertClose(Number(e.GetProperty("sr75_from_succ_curve")), r.SuccessRate75, $"{what} sr75"));
        return worst;
    }

    private static double ComparePerSequence(JsonElement perSequence, Got10kValResult r, string tracker)
    {
        double worst = 0;
        foreach (var s in r.Sequences)
        {
            var e = perSequence.GetProperty(s.Name);
            Assert.Equal("ok", e.GetProperty("status").GetString());
            string what = $"{tracker}/{s.Name}";
            worst = Math.Max(worst, AssertClose(Number(e.GetProperty("ao")), s.AverageOverlap, $"{what} ao"));
            worst = Math.Max(worst, AssertClose(Number(e.GetProperty("sr")), s.SuccessRate, $"{what} sr"));
            worst = Math.Max(worst, AssertClose(Number(e.GetProperty("speed_fps")), s.SpeedFps, $"{what} speed_fps"));
            Assert.Equal(e.GetProperty("length").GetInt32(), s.Length);
        }
        return worst;
    }
}
