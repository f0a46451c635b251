using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Pytracking;

/// <summary>
/// The per-frame primitives of pytracking's <c>extract_results.py</c>, float64, in the toolkit's expression order
/// (the order decides ties such as a normalised error of exactly 0.2).
/// </summary>
public static class PytrackingPrimitives
{
    /// <summary>
    /// <c>calc_iou_overlap</c>: inclusive-pixel corners <c>x + w - 1</c>, size <c>br - tl + 1</c> clamped at 0,
    /// no epsilon and no clamp of the ratio (algebraically the continuous IoU).
    /// </summary>
    public static double IouOverlap(BoxXywh pred, BoxXywh anno)
    {
        double tlx = Math.Max(pred.X, anno.X), tly = Math.Max(pred.Y, anno.Y);
        double brx = Math.Min(pred.X + pred.Width - 1.0, anno.X + anno.Width - 1.0);
        double bry = Math.Min(pred.Y + pred.Height - 1.0, anno.Y + anno.Height - 1.0);
        double szx = ClampMin0(brx - tlx + 1.0), szy = ClampMin0(bry - tly + 1.0);
        double intersection = szx * szy;
        double union = pred.Width * pred.Height + anno.Width * anno.Height - intersection;
        return intersection / union;
    }

    /// <summary>
    /// <c>calc_err_center</c>: centres <c>xy + 0.5 * (wh - 1)</c>; when <paramref name="normalized"/>, both
    /// centres are divided by the GT size before the difference (no epsilon).
    /// </summary>
    public static double ErrCenter(BoxXywh pred, BoxXywh anno, bool normalized = false)
    {
        double px = pred.X + 0.5 * (pred.Width - 1.0), py = pred.Y + 0.5 * (pred.Height - 1.0);
        double ax = anno.X + 0.5 * (anno.Width - 1.0), ay = anno.Y + 0.5 * (anno.Height - 1.0);
        if (normalized)
        {
            px /= anno.Width; py /= anno.Height;
            ax /= anno.Width; ay /= anno.Height;
        }
        double dx = px - ax, dy = py - ay;
        return Math.Sqrt(dx * dx + dy * dy);
    }

    // torch.clamp(min=0) keeps NaN.
    private static double ClampMin0(double v) => v < 0 ? 0 : v;
}
