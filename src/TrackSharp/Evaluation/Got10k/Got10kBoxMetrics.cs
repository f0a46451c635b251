using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Got10k;

/// <summary>
/// The box primitives of the GOT-10k toolkit (<c>got10k/utils/metrics.py</c>): <c>rect_iou</c>, <c>center_error</c>,
/// <c>normalized_center_error</c>. Boxes are pixel (x, y, w, h); centres use the toolkit's <c>x + (w - 1) / 2</c> rule.
/// NaN propagates exactly as in numpy (<see cref="Math.Max(double, double)"/> and <see cref="Math.Min(double, double)"/>
/// return NaN like <c>np.maximum</c> / <c>np.minimum</c>), so a NaN box gives a NaN IoU, which fails every threshold.
/// </summary>
public static class Got10kBoxMetrics
{
    /// <summary>numpy's <c>np.finfo(float).eps</c>, added to the union by <c>rect_iou</c>.</summary>
    public const double Epsilon = 2.220446049250313e-16;

    /// <summary>
    /// <c>rect_iou(pred, gt)</c> without a bound: continuous IoU, <c>inter / (union + eps)</c>, clipped to [0, 1].
    /// Negative sizes are used as they are (their negative areas enter the union), as in the toolkit.
    /// </summary>
    public static double RectIou(BoxXywh pred, BoxXywh gt)
    {
        // _intersection: corners by max/min, sizes clamped at 0.
        double x1 = Math.Max(pred.X, gt.X);
        double y1 = Math.Max(pred.Y, gt.Y);
        double x2 = Math.Min(pred.X + pred.Width, gt.X + gt.Width);
        double y2 = Math.Min(pred.Y + pred.Height, gt.Y + gt.Height);
        double interW = Math.Max(x2 - x1, 0);
        double interH = Math.Max(y2 - y1, 0);
        double interArea = interW * interH;
        double predArea = pred.Width * pred.Height;
        double gtArea = gt.Width * gt.Height;
        double union = predArea + gtArea - interArea;
        return Clip01(interArea / (union + Epsilon));
    }

    /// <summary>
    /// <c>rect_iou(pred, gt, bound=(width, height))</c>: both boxes are first clipped by <see cref="ClipToImage"/>
    /// (which shifts a box that starts outside the image instead of cropping it), then <see cref="RectIou(BoxXywh, BoxXywh)"/>.
    /// </summary>
    public static double RectIou(BoxXywh pred, BoxXywh gt, int imageWidth, int imageHeight) =>
        RectIou(ClipToImage(pred, imageWidth, imageHeight), ClipToImage(gt, imageWidth, imageHeight));

    /// <summary>
    /// The clipping <c>rect_iou</c> applies with a bound: <c>x = clip(x, 0, W)</c>, then <c>w = clip(w, 0, W - x)</c>
    /// with the already clipped x (same for y, h). So <c>[-10, 10, 20, 20]</c> becomes <c>[0, 10, 20, 20]</c>:
    /// the box moves right rather than losing its outside part (README trap 6).
    /// </summary>
    public static BoxXywh ClipToImage(BoxXywh box, int imageWidth, int imageHeight)
    {
        double x = Clip(box.X, 0, imageWidth);
        double y = Clip(box.Y, 0, imageHeight);
        double w = Clip(box.Width, 0, imageWidth - x);
        double h = Clip(box.Height, 0, imageHeight - y);
        return new BoxXywh(x, y, w, h);
    }

    /// <summary><c>center_error</c>: Euclidean distance of the centres <c>x + (w - 1) / 2</c>.</summary>
    public static double CenterError(BoxXywh pred, BoxXywh gt)
    {
        double dx = CenterX(pred) - CenterX(gt);
        double dy = CenterY(pred) - CenterY(gt);
        return Math.Sqrt(dx * dx + dy * dy);
    }

    /// <summary>
    /// <c>normalized_center_error</c>: the centre difference is taken first and then divided per axis by the GT size
    /// clamped to at least 1 (<c>np.maximum([1, 1], gt.wh)</c>). This order gives exactly 0.2 for 12 / 60, where the
    /// pysot/pytracking order (each centre divided, then subtracted) does not (README trap 2).
    /// </summary>
    public static double NormalizedCenterError(BoxXywh pred, BoxXywh gt)
    {
        double dx = (CenterX(pred) - CenterX(gt)) / Math.Max(1.0, gt.Width);
        double dy = (CenterY(pred) - CenterY(gt)) / Math.Max(1.0, gt.Height);
        return Math.Sqrt(dx * dx + dy * dy);
    }

    private static double CenterX(BoxXywh b) => b.X + (b.Width - 1) / 2;
    private static double CenterY(BoxXywh b) => b.Y + (b.Height - 1) / 2;

    /// <summary>np.clip semantics: <c>min(max(v, lo), hi)</c>, NaN in any argument gives NaN.</summary>
    private static double Clip(double v, double lo, double hi) => Math.Min(Math.Max(v, lo), hi);

    private static double Clip01(double v) => Clip(v, 0.0, 1.0);
}
