using OpenCvSharp;
using TrackSharp.Geometry;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>
/// The geometry of one training pair crop, before any pixel is touched.
/// </summary>
/// <param name="TemplateBox">The target in the template crop: videoanalyst's float32 (x0, y0, x1, y1), inclusive
/// corners (<c>x1 = x0 + w - 1</c>).</param>
/// <param name="SearchBox">The target in the search crop, same convention.</param>
/// <param name="TemplateMatrix">The 2x3 inverse map of the template warp (crop pixel -> frame pixel), row-major.</param>
/// <param name="SearchMatrix">The 2x3 inverse map of the search warp.</param>
/// <param name="Attempts">Jitter draws tried: 1..50, or 51 when none of the 50 kept both boxes inside their crops
/// and the pair was cropped without jitter.</param>
public sealed record SiamFCppPairGeometry(BoxXyxy TemplateBox, BoxXyxy SearchBox, double[] TemplateMatrix,
    double[] SearchMatrix, int Attempts);

/// <summary>A cropped training pair: the crops (CV_8UC3, BGR) and their geometry. Owns the crops.</summary>
public sealed class SiamFCppCroppedPair(Mat template, Mat search, SiamFCppPairGeometry geometry, Scalar border) : IDisposable
{
    /// <summary>ZSize x ZSize crop of the template frame.</summary>
    public Mat Template { get; } = template;

    /// <summary>XSize x XSize crop of the search frame.</summary>
    public Mat Search { get; } = search;

    public SiamFCppPairGeometry Geometry { get; } = geometry;

    /// <summary>The constant border colour of both warps (B, G, R): the truncated channel mean of the template frame.</summary>
    public Scalar Border { get; } = border;

    public void Dispose()
    {
        Template.Dispose();
        Search.Dispose();
    }
}

/// <summary>
/// videoanalyst's training pair crop (<c>RandomCropTransformer</c> → <c>crop_track_pair</c>), reproduced operation
/// by operation so that the crops are byte-identical for the same draws:
/// <list type="number">
/// <item>boxes enter as float32 (x0, y0, x1, y1) with inclusive corners; <c>xyxy2cxywh</c> in float32
/// (<c>w = x1 - x0 + 1</c>); the context side <c>s = sqrt((w + c(w+h)) (h + c(w+h)))</c> and base scales
/// <c>z_size / s</c> in float64 (NumPy 1.x promotes the float32 scalars);</item>
/// <item>up to 50 tries, each drawing in this order: search scale <c>U(1/(1+ms), 1+ms)</c>, template scale
/// <c>exp(U(log(1/(1+mst)), log(1+mst)))</c>, search shifts dx, dy <c>U(-msh, msh) · s_x / 2</c>, template shifts
/// <c>U(-msht, msht) · s_z / 2</c> (the zero-width draws of the published config still consume a draw);</item>
/// <item>the boxes in the crops are <c>(size-1)/2 + shift · scale</c>, size <c>w · scale</c>, turned into float32
/// corners; a try is kept when every corner lies in [0, size - 1] of its crop; after 50 failures the 51st try uses
/// no jitter and no draws;</item>
/// <item>both crops are warped with <see cref="SiamFCppTrackerCrop.InverseMap"/> of the UNROUNDED side around the
/// shifted centre (<c>float64(cx) - dx</c>), bilinear, with the truncated channel mean of the TEMPLATE frame as
/// the constant border of both.</item>
/// </list>
/// </summary>
public sealed class SiamFCppPairCrop
{
    /// <summary>videoanalyst's <c>_MAX_RETRY</c>.</summary>
    public const int MaxRetry = 50;

    public SiamFCppPairCrop(SiamFCppCropSettings? settings = null)
    {
        Settings = settings ?? SiamFCppCropSettings.Default;
        Settings.Validate();
    }

    public SiamFCppCropSettings Settings { get; }

    /// <summary>videoanalyst's annotation box of an image rect (x, y, w, h): <c>xywh2xyxy</c>, inclusive corners
    /// <c>(x, y, x + w - 1, y + h - 1)</c> in float32.</summary>
    public static BoxXyxy AnnotationBox(BoxXywh rect)
    {
        float x = (float)rect.X, y = (float)rect.Y, w = (float)rect.Width, h = (float)rect.Height;
        return new BoxXyxy(x, y, w + x - 1f, h + y - 1f);
    }

    /// <summary>The geometry of the pair crop for the annotation boxes (inclusive corners, see
    /// <see cref="AnnotationBox"/>) and the draws.</summary>
    /// <exception cref="ArgumentException">A box whose context side is not positive (the reference asserts).</exception>
    public SiamFCppPairGeometry Plan(BoxXyxy templateBox, BoxXyxy searchBox, IUniformDraws draws)
    {
        ArgumentNullException.ThrowIfNull(draws);
        var s = Settings;
        var (tcx, tcy, tw, th) = CenterSize(templateBox);
        var (ccx, ccy, cw, ch) = CenterSize(searchBox);
        double st = ContextSide(tw, th, s.ContextAmount), sc = ContextSide(cw, ch, s.ContextAmount);
        if (!(st > 0) || !(sc > 0))
            throw new ArgumentException($"invalid box: template {Format(templateBox)} and search {Format(searchBox)} " +
                                        $"(context sides {st} and {sc} must be positive)");
        double scaleTemp0 = s.ZSize / st, scaleCurr0 = s.ZSize / sc;

        for (int i = 0; ; i++)
        {
            bool jitter = i < MaxRetry;
            double scaleRand = 1, scaleRandTemp = 1;
            if (jitter)
            {
                double sMax = 1 + s.MaxScale, sMin = 1 / sMax;
                scaleRand = draws.Uniform(sMin, sMax);
                sMax = 1 + s.MaxScaleTemp;
                sMin = 1 / sMax;
                scaleRandTemp = Math.Exp(draws.Uniform(Math.Log(sMin), Math.Log(sMax)));
            }
            double scaleCurr = scaleCurr0 / scaleRand, scaleTemp = scaleTemp0 / scaleRandTemp;
            double sCurr = s.XSize / scaleCurr, sTemp = s.ZSize / scaleTemp;
            double dx = 0, dy = 0, dxTemp = 0, dyTemp = 0;
            if (jitter)
            {
                dx = draws.Uniform(-s.MaxShift, s.MaxShift) * sCurr / 2;
                dy = draws.Uniform(-s.MaxShift, s.MaxShift) * sCurr / 2;
                dxTemp = draws.Uniform(-s.MaxShiftTemp, s.MaxShiftTemp) * sTemp / 2;
                dyTemp = draws.Uniform(-s.MaxShiftTemp, s.MaxShiftTemp) * sTemp / 2;
            }

            var boxZ = CropBox((s.ZSize - 1) / 2.0, dxTemp, dyTemp, tw, th, scaleTemp);
            var boxX = CropBox((s.XSize - 1) / 2.0, dx, dy, cw, ch, scaleCurr);
            if (jitter && !(Inside(boxZ, s.ZSize) && Inside(boxX, s.XSize))) continue;

            var mz = SiamFCppTrackerCrop.InverseMap(tcx - dxTemp, tcy - dyTemp, sTemp, s.ZSize);
            var mx = SiamFCppTrackerCrop.InverseMap(ccx - dx, ccy - dy, sCurr, s.XSize);
            return new SiamFCppPairGeometry(boxZ, boxX, mz, mx, i + 1);
        }
    }

    /// <summary>
    /// Crops the pair: <see cref="Plan"/>, then both warps with the template frame's truncated channel mean as border.
    /// </summary>
    /// <param name="templateFrame">CV_8UC3 BGR frame of the template.</param>
    /// <param name="templateBox">Its annotation (inclusive corners).</param>
    /// <param name="searchFrame">CV_8UC3 BGR frame of the search region.</param>
    /// <param name="searchBox">Its annotation (for a negative pair: the other video's box).</param>
    /// <param name="draws">The random source.</param>
    public SiamFCppCroppedPair Crop(Mat templateFrame, BoxXyxy templateBox, Mat searchFrame, BoxXyxy searchBox, IUniformDraws draws)
    {
        ArgumentNullException.ThrowIfNull(templateFrame);
        ArgumentNullException.ThrowIfNull(searchFrame);
        var geometry = Plan(templateBox, searchBox, draws);
        double[] mean = ContextCrop.ChannelMean(templateFrame);
        var border = new Scalar(Math.Truncate(mean[0]), Math.Truncate(mean[1]), Math.Truncate(mean[2]));
        var z = new Mat();
        var x = new Mat();
        try
        {
            SiamFCppTrackerCrop.Warp(templateFrame, geometry.TemplateMatrix, Settings.ZSize, mean, z);
            SiamFCppTrackerCrop.Warp(searchFrame, geometry.SearchMatrix, Settings.XSize, mean, x);
        }
        catch
        {
            z.Dispose();
            x.Dispose();
            throw;
        }
        return new SiamFCppCroppedPair(z, x, geometry, border);
    }

    /// <summary><c>xyxy2cxywh</c> in float32: centre <c>(x0 + x1) / 2</c>, size <c>x1 - x0 + 1</c>.</summary>
    private static (float Cx, float Cy, float W, float H) CenterSize(BoxXyxy box)
    {
        float x0 = (float)box.X1, y0 = (float)box.Y1, x1 = (float)box.X2, y1 = (float)box.Y2;
        return ((x0 + x1) / 2f, (y0 + y1) / 2f, x1 - x0 + 1f, y1 - y0 + 1f);
    }

    /// <summary><c>sqrt((w + c(w+h)) (h + c(w+h)))</c>: the float32 sum w + h, the rest in float64.</summary>
    private static double ContextSide(float w, float h, double context)
    {
        double pad = context * (w + h);
        return Math.Sqrt((w + pad) * (h + pad));
    }

    /// <summary>The target in the crop: centre <c>(size-1)/2 + shift · scale</c>, size <c>w · scale</c>
    /// (float64), then <c>cxywh2xyxy</c> in float32.</summary>
    private static BoxXyxy CropBox(double center, double dx, double dy, float w, float h, double scale)
    {
        float cx = (float)(center + dx * scale), cy = (float)(center + dy * scale);
        float bw = (float)(w * scale), bh = (float)(h * scale);
        float hw = (bw - 1f) / 2f, hh = (bh - 1f) / 2f;
        return new BoxXyxy(cx - hw, cy - hh, cx + hw, cy + hh);
    }

    private static bool Inside(BoxXyxy b, int size)
    {
        double max = size - 1;
        return b.X1 >= 0 && b.X1 <= max && b.Y1 >= 0 && b.Y1 <= max && b.X2 >= 0 && b.X2 <= max && b.Y2 >= 0 && b.Y2 <= max;
    }

    private static string Format(BoxXyxy b) => $"({b.X1}, {b.Y1}, {b.X2}, {b.Y2})";
}
