using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Detection.Data;
using TrackSharp.Detection.Evaluation;
using Xunit;
using Xunit.Sdk;

namespace TrackSharp.Tests.Detection.Evaluation;

/// <summary>
/// Parity with pycocotools' COCOeval on every set of golden/coco_eval: loadRes, IoU matrices, evalImgs, the
/// precision / recall / scores arrays (bit-exact, README §6), the 12 stats (bit-exact with numpy's mean; the
/// requirement is 1e-6) and the printed summary lines.
/// </summary>
public class CocoEvalGoldenTests
{
    public static TheoryData<string> Scenarios => new()
    {
        "perfect", "ties", "crowd_ignore", "area_ranges", "maxdets", "recall_thr", "iou_thr", "gt_id_zero", "no_detections", "stress",
    };

    private static string Folder(string scenario) => Path.Combine(TestPaths.Shared, "golden", "coco_eval", scenario);

    private static (CocoInstances Gt, IReadOnlyList<CocoDetectionResult> Dt, CocoEvaluation Eval) Run(string scenario)
    {
        var gt = CocoInstances.Load(Path.Combine(Folder(scenario), "instances.json"));
        var dt = CocoResultsFile.Load(Path.Combine(Folder(scenario), "results.json"), gt);
        return (gt, dt, CocoEvaluator.Evaluate(gt, dt));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void StatsAndSummaryLinesEqualPycocotools(string scenario)
    {
        var (_, _, e) = Run(scenario);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(scenario), "eval.json")));
        var stats = doc.RootElement.GetProperty("stats").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(12, e.Summary.Stats.Count);
        for (int i = 0; i < 12; i++)
        {
            Assert.True(Math.Abs(stats[i] - e.Summary.Stats[i]) <= 1e-6,
                $"eval.json stats[{i}] ({CocoSummary.StatNames[i]}): {e.Summary.Stats[i]:R} vs golden {stats[i]:R}");
            // numpy's pairwise mean is reproduced: the stats are bit-exact (README §5 TRAP 21).
            Assert.Equal(stats[i], e.Summary.Stats[i]);
        }
        var lines = doc.RootElement.GetProperty("summary_lines").EnumerateArray().Select(x => x.GetString()!).ToArray();
        Assert.Equal(lines, e.Summary.Lines);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void PrecisionRecallScoresAndParamsAreBitExact(string scenario)
    {
        var (_, _, e) = Run(scenario);
        using var npz = Npz.Load(Path.Combine(Folder(scenario), "eval.npz"));
        Assert.Equal(npz["iouThrs"].ToDoubleArray(), e.Parameters.IouThresholds);
        Assert.Equal(npz["recThrs"].ToDoubleArray(), e.Parameters.RecallThresholds);
        Assert.Equal(npz["catIds"].ToLongArray(), e.CategoryIds);
        Assert.Equal(npz["imgIds"].ToLongArray(), e.ImageIds);
        Assert.Equal(npz["maxDets"].ToLongArray(), e.Parameters.MaxDetections.Select(m => (long)m));
        Assert.Equal(npz["areaRng"].ToDoubleArray(), e.Parameters.AreaRanges.SelectMany(a => new[] { a.Lo, a.Hi }));
        AssertBitExact(npz["precision"], e.Precision, "eval.npz precision");
        AssertBitExact(npz["recall"], e.Recall, "eval.npz recall");
        AssertBitExact(npz["scores"], e.Scores, "eval.npz scores");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void EvalImgsEqualPycocotools(string scenario)
    {
        var (_, _, e) = Run(scenario);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(scenario), "evalimgs.json")));
        var golden = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(golden.Length, e.EvalImages.Count);
        for (int n = 0; n < golden.Length; n++)
        {
            var g = golden[n];
            var a = e.EvalImages[n];
            string where = $"evalimgs.json[{n}]";
            if (g.ValueKind == JsonValueKind.Null) { Assert.True(a is null, $"{where}: expected null"); continue; }
            Assert.True(a is not null, $"{where}: expected an entry");
            Assert.Equal(g.GetProperty("image_id").GetInt64(), a!.ImageId);
            Assert.Equal(g.GetProperty("category_id").GetInt64(), a.CategoryId);
            Assert.Equal(g.GetProperty("area_label").GetString(), a.AreaRange.Label);
            Assert.Equal(g.GetProperty("maxDet").GetInt32(), a.MaxDetections);
            Assert.Equal(Longs(g.GetProperty("dtIds")), a.DetectionIds);
            Assert.Equal(Longs(g.GetProperty("gtIds")), a.GroundTruthIds);
            Assert.Equal(g.GetProperty("dtScores").EnumerateArray().Select(x => x.GetDouble()), a.DetectionScores);
            Assert.Equal(Longs(g.GetProperty("gtIgnore")), a.GroundTruthIgnore.Select(b => b ? 1L : 0L));
            Assert.Equal(Matrix(g.GetProperty("dtMatches")), a.DetectionMatches);
            Assert.Equal(Matrix(g.GetProperty("gtMatches")), a.GroundTruthMatches);
            Assert.Equal(Matrix(g.GetProperty("dtIgnore")), a.DetectionIgnore.Select(b => b ? 1L : 0L));
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void IouMatricesAreBitExact(string scenario)
    {
        var (_, _, e) = Run(scenario);
        using var npz = Npz.Load(Path.Combine(Folder(scenario), "ious.npz"));
        var matrixKeys = npz.Keys.Where(k => !k.Contains("__", StringComparison.Ordinal)).ToList();
        Assert.Equal(matrixKeys.Count, e.Ious.Count);
        foreach (string key in matrixKeys)
        {
            var parts = key.Split('_'); // img{I}_cat{C}
            long image = long.Parse(parts[0][3..], System.Globalization.CultureInfo.InvariantCulture);
            long category = long.Parse(parts[1][3..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(e.Ious.TryGetValue((image, category), out var m), $"ious.npz {key}: no matrix");
            Assert.Equal(npz[key + "__dt_ids"].ToLongArray(), m!.DetectionIds);
            Assert.Equal(npz[key + "__gt_ids"].ToLongArray(), m.GroundTruthIds);
            Assert.Equal(npz[key + "__gt_iscrowd"].ToLongArray(), m.GroundTruthIsCrowd.Select(b => b ? 1L : 0L));
            AssertBitExact(npz[key], m.Values, "ious.npz " + key);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void LoadResEqualsPycocotools(string scenario)
    {
        var (_, dt, _) = Run(scenario);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(scenario), "dt_after_loadres.json")));
        var golden = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(golden.Length, dt.Count);
        for (int i = 0; i < golden.Length; i++)
        {
            var g = golden[i];
            Assert.Equal(g.GetProperty("id").GetInt64(), dt[i].Id);
            Assert.Equal(g.GetProperty("image_id").GetInt64(), dt[i].ImageId);
            Assert.Equal(g.GetProperty("category_id").GetInt64(), dt[i].CategoryId);
            Assert.Equal(g.GetProperty("score").GetDouble(), dt[i].Score);
            Assert.Equal(g.GetProperty("area").GetDouble(), dt[i].Area);
            var box = g.GetProperty("bbox").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.Equal(box, new[] { dt[i].Box.X, dt[i].Box.Y, dt[i].Box.W, dt[i].Box.H });
            Assert.Equal(0, g.GetProperty("iscrowd").GetInt32());
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void PerCategoryFiguresEqualTheGoldenTable(string scenario)
    {
        var (_, _, e) = Run(scenario);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(scenario), "eval.json")));
        var golden = doc.RootElement.GetProperty("per_category").EnumerateArray().ToArray();
        var rows = CocoCategoryScores.From(e);
        Assert.Equal(golden.Length, rows.Count);
        for (int k = 0; k < rows.Count; k++)
        {
            var g = golden[k];
            Assert.Equal(g.GetProperty("category_id").GetInt64(), rows[k].CategoryId);
            Assert.Equal(g.GetProperty("AP").GetDouble(), rows[k].AP, 1e-12);
            Assert.Equal(g.GetProperty("AP50").GetDouble(), rows[k].AP50, 1e-12);
            Assert.Equal(g.GetProperty("AP75").GetDouble(), rows[k].AP75, 1e-12);
            Assert.Equal(g.GetProperty("AR100").GetDouble(), rows[k].AR100, 1e-12);
        }
    }

    [Fact]
    public void HandComputedValuesOfTheReadme()
    {
        // ties, category 7 at IoU .5: F T T F F (score .8) then F T (.6), npig 3.
        var ties = Run("ties").Eval;
        int k7 = ties.CategoryIds.ToList().IndexOf(7);
        double ap50 = Enumerable.Range(0, 101).Select(r => ties.PrecisionAt(0, r, k7, 0, 2)).Sum() / 101;
        Assert.Equal((67 * (2.0 / 3) + 34 * (3.0 / 7)) / 101, ap50, 12);
        // recall_thr: recall 7/10 reached exactly; recThrs[70] is one ulp above 0.70, so precision is read at the next TP.
        var rt = Run("recall_thr").Eval;
        Assert.Equal(1.0, rt.PrecisionAt(0, 69, 0, 0, 2));
        Assert.Equal(8.0 / 11, rt.PrecisionAt(0, 70, 0, 0, 2), 15);
        // gt_id_zero: a match to annotation id 0 counts as a false positive.
        var zero = Run("gt_id_zero").Eval;
        Assert.Equal(51 * 0.5 / 101, zero.Summary["AP"], 12);
        Assert.Equal(0.5, zero.Summary["AR100"], 12);
        // maxdets: category 1 AR100 = (80 + 5) / 125.
        var md = Run("maxdets").Eval;
        double ar = Enumerable.Range(0, 10).Select(t => md.RecallAt(t, 0, 0, 2)).Average();
        Assert.Equal(0.68, ar, 12);
        // no_detections: -1 for the empty medium range, 0 elsewhere.
        Assert.Equal([0, 0, 0, 0, -1, 0, 0, 0, 0, 0, -1, 0], Run("no_detections").Eval.Summary.Stats);
    }

    [Theory]
    [InlineData(0.0625, 3, "0.062")]  // exact tie: half to even as Python
    [InlineData(0.1875, 3, "0.188")]
    [InlineData(1.0005, 3, "1.000")]  // the double is below 1.0005
    [InlineData(0.0005, 3, "0.001")]  // the double is above 0.0005
    [InlineData(-1.0, 3, "-1.000")]
    [InlineData(0.95, 2, "0.95")]
    public void PythonFixedFormatsAsPython(double value, int decimals, string expected) =>
        Assert.Equal(expected, CocoSummary.PythonFixed(value, decimals));

    private static long[] Longs(JsonElement array) => array.EnumerateArray().Select(x => (long)x.GetDouble()).ToArray();

    private static long[] Matrix(JsonElement rows) => rows.EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(x => (long)x.GetDouble()).ToArray();

    private static void AssertBitExact(NpyArray expected, IReadOnlyList<double> actual, string what)
    {
        var e = expected.ToDoubleArray();
        if (e.Length != actual.Count) throw new XunitException($"{what}: {actual.Count} values, expected {e.Length} ({expected})");
        for (int i = 0; i < e.Length; i++)
            if (BitConverter.DoubleToInt64Bits(e[i]) != BitConverter.DoubleToInt64Bits(actual[i]) && !(e[i] == 0 && actual[i] == 0))
                throw new XunitException($"{what}[{i}]: {actual[i]:R} vs golden {e[i]:R}");
    }
}
