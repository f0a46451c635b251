using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Evaluation.Got10k;
using Xunit;
using Xunit.Abstractions;
using static TrackSharp.Tests.Evaluation.GoldenMetrics;

namespace TrackSharp.Tests.Evaluation.Got10k;

/// <summary>
/// ExperimentOTB / ExperimentUAV123 / ExperimentLaSOT.report against golden/metrics/outputs/got10k_toolkit.json
/// <c>modes.{otb,uav123,lasot}</c> and got10k_toolkit_frames.npz <c>{otb,uav123,lasot}/&lt;trk&gt;/&lt;seq&gt;/*</c>.
/// The golden UAV123 run used the OTB folder layout; LaSOT used the LaSOT layout.
/// </summary>
public class OpeReportTests(ITestOutputHelper output)
{
    private static readonly string TrackerRoot = Inputs("results", "ope");

    private static OpeSequence ReadSequence(string mode, string name) => mode == "lasot"
        ? OpeDatasetReader.ReadLasot(Inputs("datasets", "lasot"), name)
        : OpeDatasetReader.ReadOtb(Inputs("datasets", "otb"), name);

    private static OpeExperiment Experiment(string mode) => mode switch
    {
        "otb" => OpeExperiment.Otb,
        "uav123" => OpeExperiment.Uav123,
        "lasot" => OpeExperiment.Lasot,
        _ => throw new ArgumentException(mode),
    };

    private static JsonElement Mode(string mode) => Json("got10k_toolkit.json").GetProperty("modes").GetProperty(mode);

    [Theory]
    [InlineData("otb")]
    [InlineData("uav123")]
    [InlineData("lasot")]
    public void ThresholdsAreNumpys(string mode)
    {
        var t = Mode(mode).GetProperty("thresholds");
        Assert.Equal(Numbers(t.GetProperty("success")), Got10kThresholds.OpeSuccess);
        Assert.Equal(Numbers(t.GetProperty("precision")), Got10kThresholds.OpePrecision);
        if (mode == "lasot")
            Assert.Equal(Numbers(t.GetProperty("norm_precision")), Got10kThresholds.LasotNormalizedPrecision);
    }

    [Theory]
    [InlineData("otb", "trk_good")]
    [InlineData("otb", "trk_noisy")]
    [InlineData("otb", "trk_nasty")]
    [InlineData("uav123", "trk_good")]
    [InlineData("uav123", "trk_noisy")]
    [InlineData("uav123", "trk_nasty")]
    [InlineData("lasot", "trk_good")]
    [InlineData("lasot", "trk_noisy")]
    [InlineData("lasot", "trk_nasty")]
    public void OverallAndPerSequenceMatchTheToolkit(string mode, string tracker)
    {
        var expected = Mode(mode).GetProperty("trackers").GetProperty(tracker);
        var overall = expected.GetProperty("overall");
        Assert.Equal("ok", overall.GetProperty("status").GetString()); // these experiments never refuse our inputs
        var sequences = Strings(overall.GetProperty("sequences")).Select(n => ReadSequence(mode, n)).ToArray();
        var result = OpeReport.Evaluate(Experiment(mode), sequences, Path.Combine(TrackerRoot, tracker));

        double worst = Compare(overall, result.Overall, $"{mode}/{tracker} overall", mode == "lasot");
        foreach (var (name, scores) in result.Sequences)
        {
            var e = expected.GetProperty("per_sequence").GetProperty(name);
            Assert.Equal("ok", e.GetProperty("status").GetString());
            worst = Math.Max(worst, Compare(e, scores, $"{mode}/{tracker}/{name}", mode == "lasot"));
        }
        output.WriteLine($"{mode} {tracker}: worst error {worst:E3}");
    }

    [Theory]
    [InlineData("otb", "trk_nasty", "first-8")]   // NaN row 0 replaced by GT; 55 rows truncated to 50
    [InlineData("otb", "trk_nasty", "length-6")]  // 80 rows: GT truncated to 80
    [InlineData("otb", "trk_noisy", "invalidgt-3")] // NaN GT rows counted as failures
    [InlineData("uav123", "trk_noisy", "invalidgt-3")] // NaN GT rows dropped
    [InlineData("lasot", "trk_nasty", "invalidgt-3")]
    [InlineData("lasot", "trk_nasty", "trknan-5")]
    [InlineData("lasot", "trk_noisy", "absent-4")]
    public void FrameErrorsMatchTheToolkit(string mode, string tracker, string sequence)
    {
        using var npz = Npz.Load(Outputs("got10k_toolkit_frames.npz"));
        string key = $"{mode}/{tracker}/{sequence}";
        var seq = ReadSequence(mode, sequence);
        var boxes = NumericTextFile.ReadBoxes(Path.Combine(TrackerRoot, tracker, sequence + ".txt"), FieldSeparator.Comma);
        var frames = OpeReport.FrameErrors(Experiment(mode), seq.GroundTruth, boxes);

        Assert.Equal(npz[$"{key}/frame_index"].ToLongArray(), frames.FrameIndex.Select(i => (long)i).ToArray());
        double worst = AssertClose(npz[$"{key}/iou"].ToDoubleArray(), frames.Iou, $"{key} iou", 1e-12);
        worst = Math.Max(worst, AssertClose(npz[$"{key}/center_error"].ToDoubleArray(), frames.CenterError, $"{key} center_error", 1e-12));
        if (mode == "lasot")
            worst = Math.Max(worst, AssertClose(npz[$"{key}/norm_center_error"].ToDoubleArray(), frames.NormalizedCenterError!, $"{key} norm_center_error", 1e-12));
        else
            Assert.Null(frames.NormalizedCenterError);
        output.WriteLine($"{key}: {frames.Iou.Count} frames, worst error {worst:E3}");
    }

    private static double Compare(JsonElement e, OpeScores s, string what, bool lasot)
    {
        double worst = AssertClose(Numbers(e.GetProperty("success_curve")), s.SuccessCurve, $"{what} success_curve");
        worst = Math.Max(worst, AssertClose(Numbers(e.GetProperty("precision_curve")), s.PrecisionCurve, $"{what} precision_curve"));
        worst = Math.Max(worst, AssertClose(Number(e.GetProperty("success_score")), s.SuccessScore, $"{what} success_score"));
        worst = Math.Max(worst, AssertClose(Number(e.GetProperty("precision_score")), s.PrecisionScore, $"{what} precision_score"));
        worst = Math.Max(worst, AssertClose(Number(e.GetProperty("success_rate")), s.SuccessRate, $"{what} success_rate"));
        worst = Math.Max(worst, AssertClose(Number(e.GetProperty("speed_fps")), s.SpeedFps, $"{what} speed_fps"));
        if (lasot)
        {
            worst = Math.Max(worst, AssertClose(Numbers(e.GetProperty("normalized_precision_curve")), s.NormalizedPrecisionCurve!, $"{what} normalized_precision_curve"));
            worst = Math.Max(worst, AssertClose(Number(e.GetProperty("normalized_precision_score")), s.NormalizedPrecisionScore!.Value, $"{what} normalized_precision_score"));
        }
        else
        {
            Assert.Null(s.NormalizedPrecisionCurve);
        }
        return worst;
    }
}
