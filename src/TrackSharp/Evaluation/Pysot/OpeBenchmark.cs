using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Pysot;

/// <summary>
/// pysot's one-pass evaluation (<c>toolkit/evaluation/ope_benchmark.py OPEBenchmark</c>): the tracker's own row 0
/// is evaluated, frames whose LaSOT <c>absent</c> flag is not 1 are dropped from the numerator while the
/// denominator stays the number of GT frames, and a result whose length differs from the GT is refused.
/// </summary>
public static class OpeBenchmark
{
    /// <summary>
    /// <c>eval_success</c>, <c>eval_precision</c> and <c>eval_norm_precision</c> for one sequence.
    /// </summary>
    /// <exception cref="PysotEvaluationException">The result has a different number of rows than the GT
    /// (pysot raises IndexError). pysot's one special case, truncating LaSOT <c>monkey-17</c>, is not mirrored.</exception>
    public static PysotSequenceMetrics EvaluateSequence(PysotVideo video, IReadOnlyList<BoxXywh> result, string? resultFile = null)
    {
        if (result.Count != video.GroundTruth.Count)
            throw new PysotEvaluationException(video.Name,
                $"result{(resultFile is null ? "" : $" '{resultFile}'")} has {result.Count} rows but the ground truth has " +
                $"{video.GroundTruth.Count} (pysot raises IndexError in success_overlap)");
        if (video.Absent is { } absentFlags && absentFlags.Count != video.GroundTruth.Count)
            throw new PysotEvaluationException(video.Name,
                $"'absent' has {absentFlags.Count} flags but the ground truth has {video.GroundTruth.Count} rows");

        int frameCount = video.GroundTruth.Count; // n_frame = len(gt_traj), taken before the absent filter
        var keptList = new List<long>(frameCount);
        for (int t = 0; t < frameCount; t++)
            if (video.Absent is null || video.Absent[t] == 1) keptList.Add(t);
        var kept = keptList.ToArray();
        var gt = new BoxXywh[kept.Length];
        var pred = new BoxXywh[kept.Length];
        var gtCenter = new (double X, double Y)[kept.Length];
        var predCenter = new (double X, double Y)[kept.Length];
        var gtNorm = new (double X, double Y)[kept.Length];
        var predNorm = new (double X, double Y)[kept.Length];
        for (int i = 0; i < kept.Length; i++)
        {
            gt[i] = video.GroundTruth[(int)kept[i]];
            pred[i] = result[(int)kept[i]];
            gtCenter[i] = PysotStatistics.Center(gt[i]);
            predCenter[i] = PysotStatistics.Center(pred[i]);
            gtNorm[i] = PysotStatistics.NormCenter(gt[i], gt[i]);
            predNorm[i] = PysotStatistics.NormCenter(pred[i], gt[i]);
        }

        var iou = PysotStatistics.FrameOverlaps(gt, pred);
        var centerError = PysotStatistics.FrameDistances(gtCenter, predCenter);
        var normError = PysotStatistics.FrameDistances(gtNorm, predNorm);

        return new PysotSequenceMetrics(
            video.Name,
            kept,
            iou, centerError, normError,
            PysotStatistics.SuccessCurve(iou, PysotThresholds.Success, frameCount),
            PysotStatistics.ErrorCurve(centerError, PysotThresholds.Precision, frameCount),
            PysotStatistics.ErrorCurve(normError, PysotThresholds.NormPrecision, frameCount));
    }

    /// <summary>The arithmetic of <c>show_result</c> over already evaluated sequences (each weighs the same).</summary>
    public static PysotOverallMetrics Overall(IReadOnlyList<PysotSequenceMetrics> sequences)
    {
        if (sequences.Count == 0)
            throw new ArgumentException("no sequences to average", nameof(sequences));
        // np.mean(list(success_ret[tracker].values())) flattens the (sequences x 21) array.
        var allSuccess = sequences.SelectMany(s => s.SuccessCurve).ToArray();
        return new PysotOverallMetrics(
            sequences.Select(s => s.Name).ToArray(),
            NumpyReductions.Mean(allSuccess),
            MeanOfCurves(sequences, s => s.SuccessCurve),
            MeanOfCurves(sequences, s => s.PrecisionCurve),
            MeanOfCurves(sequences, s => s.NormPrecisionCurve));
    }

    private static double[] MeanOfCurves(IReadOnlyList<PysotSequenceMetrics> sequences,
        Func<PysotSequenceMetrics, IReadOnlyList<double>> curve)
    {
        var rows = sequences.Select(s => curve(s).ToArray()).ToArray();
        return NumpyReductions.MeanOfRows(rows, rows[0].Length);
    }
}
