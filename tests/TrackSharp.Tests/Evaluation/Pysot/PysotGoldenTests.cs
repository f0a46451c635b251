using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Evaluation.Pysot;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Evaluation.Pysot;

/// <summary>
/// pysot one-pass parity against golden/metrics/outputs/pysot.json (modes ope_otb, ope_lasot) and
/// pysot_frames.npz. Tolerance 1e-12 (float64 toolkit; the brief's bar is 1e-6).
/// </summary>
public class PysotGoldenTests
{
    private const double Tol = 1e-12;
    private static readonly string[] Trackers = ["trk_good", "trk_noisy", "trk_nasty"];

    public static IEnumerable<object[]> ModesAndTrackers() =>
        from m in new[] { "ope_otb", "ope_lasot" } from t in Trackers select new object[] { m, t };

    internal static IReadOnlyList<PysotVideo> Videos(string mode) => PysotDatasetJson.Load(Path.Combine(
        OpeGolden.Inputs, "datasets", "pysot",
        mode == "ope_otb" ? "METRICS_OTB/METRICS_OTB.json" : "LaSOT/LaSOT.json"));

    [Fact]
    public void Thresholds_AreNumpys()
    {
        var th = OpeGolden.Load("pysot.json").GetProperty("modes").GetProperty("ope_otb").GetProperty("thresholds");
        Assert.Equal(OpeGolden.Numbers(th.GetProperty("success")), PysotThresholds.Success);
        Assert.Equal(OpeGolden.Numbers(th.GetProperty("precision")), PysotThresholds.Precision);
        Assert.Equal(OpeGolden.Numbers(th.GetProperty("norm_precision")), PysotThresholds.NormPrecision);
    }

    [Fact]
    public void DatasetJson_KeepsNaNRowsAndAbsentFlags()
    {
        var lasot = Videos("ope_lasot").Single(v => v.Name == "invalidgt-3");
        Assert.True(double.IsNaN(lasot.GroundTruth[40].X));
        Assert.NotNull(lasot.Absent);
        Assert.Null(Videos("ope_otb").Single(v => v.Name == "plain-1").Absent);
    }

    [Theory]
    [MemberData(nameof(ModesAndTrackers))]
    public void PerSequenceAndOverall_MatchGolden(string mode, string tracker)
    {
        var golden = OpeGolden.Load("pysot.json").GetProperty("modes").GetProperty(mode)
            .GetProperty("trackers").GetProperty(tracker);
        var ok = new Dictionary<string, PysotSequenceMetrics>();
        foreach (var video in Videos(mode))
        {
            var expected = golden.GetProperty("per_sequence").GetProperty(video.Name);
            string file = OpeGolden.ResultFile(tracker, video.Name);
            var result = PysotResultFile.Read(file);
            if (expected.GetProperty("status").GetString() == "error")
            {
                var ex = Assert.Throws<PysotEvaluationException>(() => OpeBenchmark.EvaluateSequence(video, result, file));
                Assert.Contains(video.Name, ex.Message);
                continue;
            }
            var m = OpeBenchmark.EvaluateSequence(video, result, file);
            string what = $"pysot.json modes.{mode}.trackers.{tracker}.per_sequence.{video.Name}";
            OpeGolden.AssertClose(OpeGolden.Numbers(expected.GetProperty("success_curve")), m.SuccessCurve, Tol, what + ".success_curve");
            OpeGolden.AssertClose(OpeGolden.Numbers(expected.GetProperty("precision_curve")), m.PrecisionCurve, Tol, what + ".precision_curve");
            OpeGolden.AssertClose(OpeGolden.Numbers(expected.GetProperty("norm_precision_curve")), m.NormPrecisionCurve, Tol, what + ".norm_precision_curve");
            OpeGolden.AssertClose(OpeGolden.Number(expected.GetProperty("auc")), m.Auc, Tol, what + ".auc");
            OpeGolden.AssertClose(OpeGolden.Number(expected.GetProperty("precision")), m.Precision, Tol, what + ".precision");
            OpeGolden.AssertClose(OpeGolden.Number(expected.GetProperty("norm_precision")), m.NormPrecision, Tol, what + ".norm_precision");
            OpeGolden.AssertClose(OpeGolden.Number(expected.GetProperty("video_level_precision_as_printed")),
                m.VideoLevelPrecisionAsPrinted, Tol, what + ".video_level_precision_as_printed");
            ok[video.Name] = m;
        }

        bool fullSet = golden.GetProperty("overall").GetProperty("status").GetString() == "ok";
        var overall = fullSet ? golden.GetProperty("overall") : golden.GetProperty("overall_subset");
        var sequences = OpeGolden.Strings(overall.GetProperty("sequences"));
        var o = OpeBenchmark.Overall(sequences.Select(s => ok[s]).ToArray());
        string w = $"pysot.json modes.{mode}.trackers.{tracker}.{(fullSet ? "overall" : "overall_subset")}";
        OpeGolden.AssertClose(OpeGolden.Number(overall.GetProperty("auc")), o.Auc, Tol, w + ".auc");
        OpeGolden.AssertClose(OpeGolden.Numbers(overall.GetProperty("success_curve")), o.SuccessCurve, Tol, w + ".success_curve");
        OpeGolden.AssertClose(OpeGolden.Numbers(overall.GetProperty("precision_curve")), o.PrecisionCurve, Tol, w + ".precision_curve");
        OpeGolden.AssertClose(OpeGolden.Numbers(overall.GetProperty("norm_precision_curve")), o.NormPrecisionCurve, Tol, w + ".norm_precision_curve");
        OpeGolden.AssertClose(OpeGolden.Number(overall.GetProperty("precision")), o.Precision, Tol, w + ".precision");
        OpeGolden.AssertClose(OpeGolden.Number(overall.GetProperty("norm_precision")), o.NormPrecision, Tol, w + ".norm_precision");
    }

    [Theory]
    [MemberData(nameof(ModesAndTrackers))]
    public void PerFrame_MatchesPysotFramesNpz(string mode, string tracker)
    {
        using var npz = Npz.Load(Path.Combine(OpeGolden.Outputs, "pysot_frames.npz"));
        int checkedSequences = 0;
        foreach (var video in Videos(mode))
        {
            string prefix = $"{mode}/{tracker}/{video.Name}/";
            if (!npz.ContainsKey(prefix + "iou")) continue; // only result files of the right length are stored
            var m = OpeBenchmark.EvaluateSequence(video, PysotResultFile.Read(OpeGolden.ResultFile(tracker, video.Name)));
            Assert.Equal(npz[prefix + "kept_frame_index"].ToLongArray(), m.KeptFrameIndex);
            OpeGolden.AssertClose(npz[prefix + "iou"].ToDoubleArray(), m.FrameIou, Tol, "pysot_frames.npz " + prefix + "iou");
            OpeGolden.AssertClose(npz[prefix + "center_error"].ToDoubleArray(), m.FrameCenterError, Tol, "pysot_frames.npz " + prefix + "center_error");
            OpeGolden.AssertClose(npz[prefix + "norm_center_error"].ToDoubleArray(), m.FrameNormCenterError, Tol, "pysot_frames.npz " + prefix + "norm_center_error");
            checkedSequences++;
        }
        Assert.True(checkedSequences >= 6, $"only {checkedSequences} sequences in the npz");
    }

    [Fact]
    public void BoxCases_MatchPrimitives()
    {
        var cases = OpeGolden.Load("box_cases.json").GetProperty("cases");
        int n = 0;
        foreach (var c in cases.EnumerateArray())
        {
            var p = OpeGolden.Numbers(c.GetProperty("pred"));
            var g = OpeGolden.Numbers(c.GetProperty("gt"));
            var pred = new BoxXywh(p[0], p[1], p[2], p[3]);
            var gt = new BoxXywh(g[0], g[1], g[2], g[3]);
            var e = c.GetProperty("pysot");
            string name = "box_cases.json " + c.GetProperty("name").GetString();
            OpeGolden.AssertClose(OpeGolden.Number(e.GetProperty("iou_overlap_ratio")), PysotStatistics.OverlapRatio(gt, pred), Tol, name + " pysot.iou_overlap_ratio");
            OpeGolden.AssertClose(OpeGolden.Number(e.GetProperty("center_error")), PysotStatistics.CenterError(pred, gt), Tol, name + " pysot.center_error");
            OpeGolden.AssertClose(OpeGolden.Number(e.GetProperty("norm_center_error")), PysotStatistics.NormCenterError(pred, gt), Tol, name + " pysot.norm_center_error");
            n++;
        }
        Assert.Equal(154, n);
    }

    [Fact]
    public void ResultFile_MalformedLine_NamesFileAndLine()
    {
        string path = Path.Combine(Path.GetTempPath(), $"pysot-bad-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "1,2,3,4\n1,2,x,4\n");
        try
        {
            var ex = Assert.Throws<FormatException>(() => PysotResultFile.Read(path));
            Assert.Contains(path + ":2", ex.Message);
        }
        finally { File.Delete(path); }
    }
}
