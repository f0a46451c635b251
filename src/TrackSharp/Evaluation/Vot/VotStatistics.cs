namespace TrackSharp.Evaluation.Vot;

/// <summary>Per-trajectory VOT statistics, pysot <c>toolkit/utils/statistics.py</c>.</summary>
public static class VotStatistics
{
    /// <summary>pysot <c>calculate_failures</c>: the frame indices holding the failure code 2.</summary>
    public static int[] CalculateFailures(IReadOnlyList<VotRegion> trajectory)
    {
        var failures = new List<int>();
        for (int i = 0; i < trajectory.Count; i++)
            if (trajectory[i].IsCode(VotRegion.FailureCode)) failures.Add(i);
        return failures.ToArray();
    }

    /// <summary>
    /// pysot <c>calculate_accuracy(pred, gt, burnin, ignore_unknown=True, bound)</c>: the per-frame overlaps over the
    /// shorter of the two trajectories, with the init frame and the <paramref name="burnin"/> - 1 frames after every
    /// code 1 replaced by code 0 (so NaN), and their <c>nanmean</c>. A code on either side gives NaN (not counted).
    /// </summary>
    public static (double Accuracy, double[] Overlaps) CalculateAccuracy(
        IReadOnlyList<VotRegion> prediction, IReadOnlyList<VotRegion> groundTruth, int burnin, RegionBounds bounds)
    {
        var pred = prediction.ToArray();
        if (burnin > 0)
        {
            var skip = VotRegion.Special(VotRegion.SkipCode);
            for (int i = 0; i < prediction.Count; i++)
            {
                if (!prediction[i].IsCode(VotRegion.InitCode)) continue;
                for (int j = 0; j < burnin && i + j < pred.Length; j++) pred[i + j] = skip;
            }
        }
        var overlaps = VotOverlap.Trajectory(pred, groundTruth, bounds);
        double accuracy = overlaps.Length > 0 ? NumpyReductions.NanMean(overlaps) : 0.0;
        return (accuracy, overlaps);
    }
}
