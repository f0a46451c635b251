using TrackSharp.Checkpoints;
using TrackSharp.Evaluation.Pytracking;
using TrackSharp.Geometry;
using TrackSharp.Tests.Evaluation.Pysot;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.Evaluation.Pytracking;

/// <summary>
/// pytracking / OSTrack parity against golden/metrics/outputs/{pytracking,ostrack}.json and
/// {pytracking,ostrack}_frames.npz. float32 values are compared widened to double at 1e-6.
/// </summary>
public class PytrackingGoldenTests(ITestOutputHelper output)
{
    private const double Tol = 1e-6;
    private static readonly string[] Trackers = ["trk_good", "trk_noisy", "trk_nasty"];
    private static readonly string[] Modes = ["otb", "lasot", "got10k", "uav", "otb_excl", "lasot_excl"];

    public static IEnumerable<object[]> Cases() =>
        from f in new[] { "pytracking", "ostrack" } from m in Modes from t in Trackers select new object[] { f, m, t };

    /// <summary>The frames npz holds the four dataset modes (exclude_invalid_frames changes no per-frame value).</summary>
    public static IEnumerable<object[]> FrameCases() =>
        from f in new[] { "pytracking", "ostrack" } from m in new[] { "otb", "lasot", "got10k", "uav" }
        from t in Trackers select new object[] { f, m, t };

    private static PytrackingConvention Convention(string file) =>
        file == "ostrack" ? PytrackingConvention.OSTrack : PytrackingConvention.Pytracking;

    private static PytrackingDataset Dataset(string mode) => mode switch
    {
        "lasot" or "lasot_excl" => PytrackingDataset.Lasot,
        "got10k" => PytrackingDataset.Got10k,
        "uav" => PytrackingDataset.Uav,
        _ => PytrackingDataset.Otb,
    };

    /// <summary>GT (and LaSOT visibility) from the layout the mode's pytracking dataset class reads.</summary>
    private static (BoxXywh[] Gt, bool[]? Visible) Sequence(string mode, string seq)
    {
        string datasets = Path.Combine(OpeGolden.Inputs, "datasets");
        switch (Dataset(mode))
        {
            case PytrackingDataset.Lasot:
                string dir = Path.Combine(datasets, "lasot", seq.Split('-')[0], seq);
                return (PytrackingTextFile.ReadBoxes(Path.Combine(dir, "groundtruth.txt")), PytrackingTextFile.ReadLasotVisibility(dir));
            case PytrackingDataset.Got10k:
                return (PytrackingTextFile.ReadBoxes(Path.Combine(datasets, "got10k", "val", seq, "groundtruth.txt")), null);
            default:
                return (PytrackingTextFile.ReadBoxes(Path.Combine(datasets, "otb", seq, "groundtruth_rect.txt")), null);
        }
    }

    private static PytrackingFrameErrors Errors(string file, string mode, string tracker, string seq)
    {
        var (gt, visible) = Sequence(mode, seq);
        var result = PytrackingTextFile.ReadBoxes(OpeGolden.ResultFile(tracker, seq));
        return SequenceErrors.Compute(seq, result, gt, Dataset(mode), Convention(file), visible);
    }

    [Fact]
    public void Thresholds_AreTorchs()
    {
        foreach (var file in new[] { "pytracking.json", "ostrack.json" })
        {
            var th = OpeGolden.Load(file).GetProperty("modes").GetProperty("otb").GetProperty("thresholds");
            Assert.Equal(OpeGolden.Numbers(th.GetProperty("overlap")), PytrackingThresholds.Overlap);
            Assert.Equal(OpeGolden.Numbers(th.GetProperty("center")), PytrackingThresholds.Center);
            Assert.Equal(OpeGolden.Numbers(th.GetProperty("center_norm")), PytrackingThresholds.CenterNorm);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PerSequenceAndOverall_MatchGolden(string file, string mode, string tracker)
    {
        var modeJson = OpeGolden.Load(file + ".json").GetProperty("modes").GetProperty(mode);
        bool exclude = modeJson.GetProperty("exclude_invalid_frames").GetBoolean();
        var golden = modeJson.GetProperty("trackers").GetProperty(tracker);
        var ok = new Dictionary<string, PytrackingSequenceCurves>();
        double worst = 0;
        foreach (var seqEntry in golden.GetProperty("per_sequence").EnumerateObject())
        {
            string seq = seqEntry.Name;
            var expected = seqEntry.Value;
            if (expected.GetProperty("status").GetString() == "error")
            {
                var ex = Assert.Throws<PytrackingEvaluationException>(() =>
                    PytrackingSequenceCurves.FromErrors(seq, Errors(file, mode, tracker, seq), exclude));
                Assert.Contains(seq, ex.Message);
                continue;
            }
            var c = PytrackingSequenceCurves.FromErrors(seq, Errors(file, mode, tracker, seq), exclude);
            string what = $"{file}.json modes.{mode}.trackers.{tracker}.per_sequence.{seq}";
            worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Numbers(expected.GetProperty("success_curve")), Widen(c.SuccessCurve), Tol, what + ".success_curve"));
            worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Numbers(expected.GetProperty("precision_curve")), Widen(c.PrecisionCurve), Tol, what + ".precision_curve"));
            worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Numbers(expected.GetProperty("norm_precision_curve")), Widen(c.NormPrecisionCurve), Tol, what + ".norm_precision_curve"));
            worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Number(expected.GetProperty("avg_overlap")), c.AvgOverlap, Tol, what + ".avg_overlap"));
            worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Number(expected.GetProperty("auc_float32_mean_x100")), c.Auc, Tol, what + ".auc_float32_mean_x100"));
            worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Number(expected.GetProperty("precision_at_20")), c.PrecisionAt20, Tol, what + ".precision_at_20"));
            worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Number(expected.GetProperty("norm_precision_at_0.20")), c.NormPrecisionAt020, Tol, what + ".norm_precision_at_0.20"));
            ok[seq] = c;
        }

        bool fullSet = golden.GetProperty("overall").GetProperty("status").GetString() == "ok";
        var overall = fullSet ? golden.GetProperty("overall") : golden.GetProperty("overall_subset");
        var o = PytrackingOverall.Compute(OpeGolden.Strings(overall.GetProperty("sequences")).Select(s => ok[s]).ToArray());
        string w = $"{file}.json modes.{mode}.trackers.{tracker}.{(fullSet ? "overall" : "overall_subset")}";
        worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Numbers(overall.GetProperty("success_curve")), Widen(o.SuccessCurve), Tol, w + ".success_curve"));
        worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Numbers(overall.GetProperty("precision_curve")), Widen(o.PrecisionCurve), Tol, w + ".precision_curve"));
        worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Numbers(overall.GetProperty("norm_precision_curve")), Widen(o.NormPrecisionCurve), Tol, w + ".norm_precision_curve"));
        worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Number(overall.GetProperty("auc")), o.Auc, Tol, w + ".auc"));
        worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Number(overall.GetProperty("op50")), o.Op50, Tol, w + ".op50"));
        worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Number(overall.GetProperty("op75")), o.Op75, Tol, w + ".op75"));
        worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Number(overall.GetProperty("precision")), o.Precision, Tol, w + ".precision"));
        worst = Math.Max(worst, OpeGolden.AssertClose(OpeGolden.Number(overall.GetProperty("norm_precision")), o.NormPrecision, Tol, w + ".norm_precision"));
        output.WriteLine($"{file} {mode} {tracker}: worst abs error {worst:E3}");
    }

    [Theory]
    [MemberData(nameof(FrameCases))]
    public void PerFrame_MatchesFramesNpz(string file, string mode, string tracker)
    {
        using var npz = Npz.Load(Path.Combine(OpeGolden.Outputs, file + "_frames.npz"));
        int n = 0;
        foreach (var seq in OpeGolden.Strings(OpeGolden.Load(file + ".json").GetProperty("sequences")))
        {
            string prefix = $"{mode}/{tracker}/{seq}/";
            if (!npz.ContainsKey(prefix + "valid")) continue; // pairs the toolkit refused are not stored
            var e = Errors(file, mode, tracker, seq);
            string what = $"{file}_frames.npz {prefix}";
            Assert.Equal(npz[prefix + "valid"].ToBoolArray(), e.Valid);
            OpeGolden.AssertClose(npz[prefix + "err_overlap"].ToDoubleArray(), e.ErrOverlap, 1e-12, what + "err_overlap");
            OpeGolden.AssertClose(npz[prefix + "err_center"].ToDoubleArray(), e.ErrCenter, 1e-12, what + "err_center");
            OpeGolden.AssertClose(npz[prefix + "err_center_normalized"].ToDoubleArray(), e.ErrCenterNormalized, 1e-12, what + "err_center_normalized");
            n++;
        }
        Assert.True(n >= 3, $"only {n} sequences checked");
    }

    [Fact]
    public void BoxCases_MatchPrimitives()
    {
        int n = 0;
        foreach (var c in OpeGolden.Load("box_cases.json").GetProperty("cases").EnumerateArray())
        {
            var p = OpeGolden.Numbers(c.GetProperty("pred"));
            var g = OpeGolden.Numbers(c.GetProperty("gt"));
            var pred = new BoxXywh(p[0], p[1], p[2], p[3]);
            var gt = new BoxXywh(g[0], g[1], g[2], g[3]);
            var e = c.GetProperty("pytracking");
            string name = "box_cases.json " + c.GetProperty("name").GetString();
            OpeGolden.AssertClose(OpeGolden.Number(e.GetProperty("calc_iou_overlap")), PytrackingPrimitives.IouOverlap(pred, gt), 1e-12, name + " pytracking.calc_iou_overlap");
            OpeGolden.AssertClose(OpeGolden.Number(e.GetProperty("calc_err_center")), PytrackingPrimitives.ErrCenter(pred, gt), 1e-12, name + " pytracking.calc_err_center");
            OpeGolden.AssertClose(OpeGolden.Number(e.GetProperty("calc_err_center_normalized")), PytrackingPrimitives.ErrCenter(pred, gt, normalized: true), 1e-12, name + " pytracking.calc_err_center_normalized");
            n++;
        }
        Assert.Equal(154, n);
    }

    [Fact]
    public void BoxFile_MalformedLine_NamesFileAndLine()
    {
        string path = Path.Combine(Path.GetTempPath(), $"pytracking-bad-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "1,2,3,4\n1,2,3\n");
        try { Assert.Contains(path + ":2", Assert.Throws<FormatException>(() => PytrackingTextFile.ReadBoxes(path)).Message); }
        finally { File.Delete(path); }
    }

    private static double[] Widen(IReadOnlyList<float> v) => v.Select(x => (double)x).ToArray();
}
