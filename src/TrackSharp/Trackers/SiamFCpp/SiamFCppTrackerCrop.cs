using OpenCvSharp;

namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>
/// videoanalyst's crops (<c>pipeline/utils/crop.py</c>: <c>get_crop</c> + <c>get_subwindow_tracking</c>), which
/// differ from pysot's integer-window <see cref="TrackSharp.Geometry.ContextCrop"/>: the square of side
/// <c>round(s_x)</c> (round half to even) centred on the float32 target centre is mapped onto the output by
/// <c>cv2.warpAffine</c> with a sub-pixel inverse map, bilinear, and a constant border of the truncated
/// first-frame channel mean.
/// </summary>
public static class SiamFCppTrackerCrop
{
    /// <summary>What <c>get_crop</c> computes before warping.</summary>
    /// <param name="ScaleX"><c>z_size / s_z</c> (float64): the scale the tracker maps boxes back with — not the
    /// actual warp scale.</param>
    /// <param name="Side">The crop side in image pixels, <c>round(output / ScaleX)</c>.</param>
    /// <param name="Matrix">The 2x3 inverse map (output pixel -> image pixel), row-major.</param>
    public readonly record struct CropGeometry(double ScaleX, long Side, double[] Matrix);

    /// <summary>
    /// <c>get_crop</c>'s geometry for a target (centre, size) in image pixels: <c>s_z = sqrt(wc * hc)</c> with
    /// <c>wc = w + c (w + h)</c>, <c>scale = zSize / s_z</c>, side <c>round(outputSize / scale)</c>; the crop box
    /// <c>cxywh2xyxy(cx, cy, side, side)</c> in float32 and
    /// <c>M = [[(x1 - x0) / (out - 1), 0, x0], [0, (y1 - y0) / (out - 1), y0]]</c>.
    /// </summary>
    public static CropGeometry Compute(double centerX, double centerY, double width, double height, double contextAmount,
        int zSize, int outputSize)
    {
        double context = contextAmount * (width + height);
        double sZ = Math.Sqrt((width + context) * (height + context));
        double scale = zSize / sZ;
        double sideF = outputSize / scale;
        if (!(sideF >= 1) || double.IsInfinity(sideF))
            throw new ArgumentException($"crop side {sideF} px (target {width}x{height}) is not a usable size");
        long side = (long)Math.Round(sideF, MidpointRounding.ToEven);
        return new CropGeometry(scale, side, InverseMap(centerX, centerY, side, outputSize));
    }

    /// <summary>
    /// <c>get_subwindow_tracking</c>'s 2x3 inverse map (output pixel -> image pixel, row-major) for the square of
    /// side <paramref name="side"/> centred on (<paramref name="centerX"/>, <paramref name="centerY"/>): the crop box
    /// <c>cxywh2xyxy</c> in float32 (<c>x0 = cx - (S - 1) / 2</c>), then
    /// <c>M = [[(x1 - x0) / (out - 1), 0, x0], [0, (y1 - y0) / (out - 1), y0]]</c> with the difference in float32
    /// and the division in float64. The tracker passes the rounded side; the training pair crop passes the
    /// unrounded one.
    /// </summary>
    public static double[] InverseMap(double centerX, double centerY, double side, int outputSize)
    {
        float cx = (float)centerX, cy = (float)centerY, half = ((float)side - 1f) / 2f;
        float x0 = cx - half, y0 = cy - half, x1 = cx + half, y1 = cy + half;
        double m11 = (double)(x1 - x0) / (outputSize - 1);
        double m22 = (double)(y1 - y0) / (outputSize - 1);
        return new[] { m11, 0, x0, 0, m22, y0 };
    }

    /// <summary>
    /// Warps the crop into <paramref name="destination"/> (outputSize x outputSize, BGR uint8) with
    /// <c>INTER_LINEAR | WARP_INVERSE_MAP</c> and <c>BORDER_CONSTANT</c> filled with the truncated
    /// <paramref name="channelMean"/> (float64 B, G, R).
    /// </summary>
    public static void Warp(Mat image, double[] matrix, int outputSize, double[] channelMean, Mat destination)
    {
        using var m = Mat.FromPixelData(2, 3, MatType.CV_64FC1, matrix);
        var border = new Scalar(Math.Truncate(channelMean[0]), Math.Truncate(channelMean[1]), Math.Truncate(channelMean[2]));
        Cv2.WarpAffine(image, destination, m, new Size(outputSize, outputSize),
            InterpolationFlags.Linear | InterpolationFlags.WarpInverseMap, BorderTypes.Constant, border);
    }

    /// <summary><see cref="Compute"/> then <see cref="Warp"/>.</summary>
    public static CropGeometry Extract(Mat image, double centerX, double centerY, double width, double height,
        double contextAmount, int zSize, int outputSize, double[] channelMean, Mat destination)
    {
        var g = Compute(centerX, centerY, width, height, contextAmount, zSize, outputSize);
        Warp(image, g.Matrix, outputSize, channelMean, destination);
        return g;
    }
}
