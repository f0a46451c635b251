using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Pytracking;

/// <summary>
/// pytracking's <c>calc_seq_err_robust</c> (and OSTrack's copy): cleans a result against its GT and computes the
/// per-frame errors. The rules run in the toolkit's fixed order, which matters (e.g. the NaN check sees rows
/// beyond the GT and row 0, and zero-size rows are replaced before the padding rows exist).
/// </summary>
public static class SequenceErrors
{
    /// <param name="sequence">Sequence name, for error messages.</param>
    /// <param name="result">The tracker's boxes, one per frame.</param>
    /// <param name="groundTruth">The ground-truth boxes.</param>
    /// <param name="dataset">The dataset rules to apply (only lasot and uav differ).</param>
    /// <param name="convention">pytracking's or OSTrack's ground-truth validity rule.</param>
    /// <param name="targetVisible">Per-frame visibility (LaSOT: not full_occlusion and not out_of_view); null
    /// when the dataset has none.</param>
    /// <exception cref="PytrackingEvaluationException">Where the toolkit raises.</exception>
    public static PytrackingFrameErrors Compute(
        string sequence, IReadOnlyList<BoxXywh> result, IReadOnlyList<BoxXywh> groundTruth,
        PytrackingDataset dataset, PytrackingConvention convention, IReadOnlyList<bool>? targetVisible = null)
    {
        int n = groundTruth.Count;
        if (targetVisible is not null && targetVisible.Count != n)
            throw new PytrackingEvaluationException(sequence, $"{targetVisible.Count} visibility flags for {n} GT frames");

        // 1. Any NaN or negative size anywhere in the result (row 0 and rows past the GT included).
        for (int i = 0; i < result.Count; i++)
            if (HasNaN(result[i]) || result[i].Width < 0 || result[i].Height < 0)
                throw new PytrackingEvaluationException(sequence, $"Error: Invalid results (row {i + 1} has NaN or negative size)");

        // 2. NaN ground truth, tolerated only for uav.
        if (dataset != PytrackingDataset.Uav && groundTruth.Any(HasNaN))
            throw new PytrackingEvaluationException(sequence, "Warning: NaNs in annotation");

        // 3. Zero-size rows (frame >= 1) copy the previous row, sequentially, unless that GT row has NaN.
        var pred = result.ToList();
        for (int i = 1; i < pred.Count; i++)
        {
            if (pred[i].Width != 0.0 && pred[i].Height != 0.0) continue;
            if (i >= n) // torch indexes anno_bb[i] here and raises IndexError
                throw new PytrackingEvaluationException(sequence, $"zero-size result row {i + 1} lies beyond the {n} GT frames");
            if (!HasNaN(groundTruth[i])) pred[i] = pred[i - 1];
        }

        // 4. Truncate or zero-pad to the GT length (lasot refuses a short result).
        if (pred.Count > n) pred.RemoveRange(n, pred.Count - n);
        else if (pred.Count < n)
        {
            if (dataset == PytrackingDataset.Lasot)
                throw new PytrackingEvaluationException(sequence, $"Mis-match in tracker prediction ({pred.Count} rows) and GT lengths ({n})");
            while (pred.Count < n) pred.Add(new BoxXywh(0, 0, 0, 0));
        }

        // 5. The first frame is the given initialisation.
        pred[0] = groundTruth[0];

        var iou = new double[n];
        var center = new double[n];
        var centerNorm = new double[n];
        var valid = new bool[n];
        for (int t = 0; t < n; t++)
        {
            var g = groundTruth[t];
            valid[t] = IsValid(g, convention) && (targetVisible is null || targetVisible[t]);
            center[t] = PytrackingPrimitives.ErrCenter(pred[t], g);
            centerNorm[t] = PytrackingPrimitives.ErrCenter(pred[t], g, normalized: true);
            iou[t] = PytrackingPrimitives.IouOverlap(pred[t], g);
            if (!valid[t])
            {
                center[t] = dataset == PytrackingDataset.Uav ? -1.0 : double.PositiveInfinity;
                centerNorm[t] = -1.0;
                iou[t] = -1.0;
            }
            if (dataset == PytrackingDataset.Lasot && targetVisible is not null && !targetVisible[t])
            {
                centerNorm[t] = double.PositiveInfinity;
                center[t] = double.PositiveInfinity;
            }
        }
        if (iou.Any(double.IsNaN))
            throw new PytrackingEvaluationException(sequence, "Nans in calculated overlap");
        return new PytrackingFrameErrors(iou, center, centerNorm, valid);
    }

    /// <summary>The GT validity rule of the chosen convention (NaN compares false, so NaN rows are invalid).</summary>
    public static bool IsValid(BoxXywh gt, PytrackingConvention convention) => convention switch
    {
        PytrackingConvention.Pytracking => gt.X > 0 && gt.Y > 0 && gt.Width > 0 && gt.Height > 0,
        _ => gt.Width > 0 && gt.Height > 0,
    };

    private static bool HasNaN(BoxXywh b) =>
        double.IsNaN(b.X) || double.IsNaN(b.Y) || double.IsNaN(b.Width) || double.IsNaN(b.Height);
}
