using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Pysot;

/// <summary>
/// Per-frame primitives and per-sequence curves of pysot (<c>toolkit/utils/statistics.py</c> and the centre
/// conversions of <c>toolkit/evaluation/ope_benchmark.py</c>), float64, with numpy's NaN behaviour:
/// <c>np.maximum</c>/<c>np.minimum</c> propagate NaN (as <see cref="Math.Max(double, double)"/> does), and a NaN
/// compares false, so a NaN IoU or distance is a failure at every threshold.
/// </summary>
public static class PysotStatistics
{
    /// <summary>
    /// <c>overlap_ratio(rect1, rect2)</c>: continuous IoU of two xywh boxes, no epsilon, clamped to [0, 1];
    /// 0/0 gives NaN. The union is <c>w1 h1 + w2 h2 - inter</c> in that order (pysot passes GT as rect1).
    /// </summary>
    public static double OverlapRatio(BoxXywh rect1, BoxXywh rect2)
    {
        double left = Math.Max(rect1.X, rect2.X);
        double right = Math.Min(rect1.X + rect1.Width, rect2.X + rect2.Width);
        double top = Math.Max(rect1.Y, rect2.Y);
        double bottom = Math.Min(rect1.Y + rect1.Height, rect2.Y + rect2.Height);
        double intersect = Math.Max(0, right - left) * Math.Max(0, bottom - top);
        double union = rect1.Width * rect1.Height + rect2.Width * rect2.Height - intersect;
        double iou = intersect / union;
        return Math.Max(Math.Min(1, iou), 0);
    }

    /// <summary><c>OPEBenchmark.convert_bb_to_center</c>: <c>(x + (w - 1) / 2, y + (h - 1) / 2)</c>.</summary>
    public static (double X, double Y) Center(BoxXywh box) =>
        (box.X + (box.Width - 1) / 2, box.Y + (box.Height - 1) / 2);

    /// <summary>
    /// <c>OPEBenchmark.convert_bb_to_norm_center</c>: the centre divided by the GT size plus 1e-16, per axis
    /// (each centre is divided before the difference is taken, which is why ties differ from got10k's).
    /// </summary>
    public static (double X, double Y) NormCenter(BoxXywh box, BoxXywh gt)
    {
        var (cx, cy) = Center(box);
        return (cx / (gt.Width + 1e-16), cy / (gt.Height + 1e-16));
    }

    /// <summary>The distance <c>success_error</c> computes: <c>sqrt(sum((gt - result)^2))</c>, no validity mask.</summary>
    public static double Distance((double X, double Y) gtCenter, (double X, double Y) resultCenter)
    {
        double dx = gtCenter.X - resultCenter.X;
        double dy = gtCenter.Y - resultCenter.Y;
        return Math.Sqrt(dx * dx + dy * dy);
    }

    /// <summary>Raw centre error between a prediction and its GT (no mask).</summary>
    public static double CenterError(BoxXywh result, BoxXywh gt) => Distance(Center(gt), Center(result));

    /// <summary>Raw normalised centre error (no mask).</summary>
    public static double NormCenterError(BoxXywh result, BoxXywh gt) => Distance(NormCenter(gt, gt), NormCenter(result, gt));

    /// <summary>
    /// Per-frame IoU as <c>success_overlap</c> builds it: -1 where the GT has w &lt;= 0 or h &lt;= 0 (or NaN),
    /// <see cref="OverlapRatio"/> elsewhere.
    /// </summary>
    public static double[] FrameOverlaps(IReadOnlyList<BoxXywh> gt, IReadOnlyList<BoxXywh> result)
    {
        RequireSameLength(gt.Count, result.Count);
        var iou = new double[gt.Count];
        for (int t = 0; t < gt.Count; t++)
            iou[t] = gt[t].Width > 0 && gt[t].Height > 0 ? OverlapRatio(gt[t], result[t]) : -1;
        return iou;
    }

    /// <summary>
    /// Per-frame distances as <c>success_error</c> builds them: -1 (a success at every threshold) where a GT
    /// centre coordinate is &lt;= 0 or NaN, the Euclidean distance elsewhere.
    /// </summary>
    public static double[] FrameDistances(IReadOnlyList<(double X, double Y)> gtCenter, IReadOnlyList<(double X, double Y)> resultCenter)
    {
        RequireSameLength(gtCenter.Count, resultCenter.Count);
        var dist = new double[gtCenter.Count];
        for (int t = 0; t < gtCenter.Count; t++)
            dist[t] = gtCenter[t].X > 0 && gtCenter[t].Y > 0 ? Distance(gtCenter[t], resultCenter[t]) : -1;
        return dist;
    }

    /// <summary><c>success_overlap</c>: fraction of <paramref name="frameCount"/> frames with IoU &gt; t.</summary>
    public static double[] SuccessCurve(IReadOnlyList<double> frameIou, IReadOnlyList<double> thresholds, int frameCount)
    {
        var counts = ThresholdCounts.Greater(AsSpan(frameIou), thresholds);
        var curve = new double[thresholds.Count];
        for (int i = 0; i < thresholds.Count; i++)
            curve[i] = counts[i] / (double)frameCount;
        return curve;
    }

    /// <summary><c>success_error</c>: fraction of <paramref name="frameCount"/> frames with distance &lt;= t.</summary>
    public static double[] ErrorCurve(IReadOnlyList<double> frameDistance, IReadOnlyList<double> thresholds, int frameCount)
    {
        var counts = ThresholdCounts.AtMost(AsSpan(frameDistance), thresholds);
        var curve = new double[thresholds.Count];
        for (int i = 0; i < thresholds.Count; i++)
            curve[i] = counts[i] / (double)frameCount;
        return curve;
    }

    private static ReadOnlySpan<double> AsSpan(IReadOnlyList<double> values) =>
        values is double[] array ? array : values.ToArray();

    private static void RequireSameLength(int gt, int result)
    {
        // numpy raises IndexError on the boolean mask here; the caller names the sequence.
        if (gt != result)
            throw new ArgumentException($"result has {result} rows, ground truth {gt}");
    }
}
