using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;
using Scalar = OpenCvSharp.Scalar;
using Size = OpenCvSharp.Size;

namespace TrackSharp.Geometry;

/// <summary>
/// Where <see cref="SampleTarget"/> cuts the square crop: its side, its top-left corner in image pixels and the
/// zero padding added on each side. Pixel indices are integers (pixel i covers i .. i + 1); the window covers
/// columns <c>X1 .. X1 + CropSize - 1</c> before the right/bottom off-by-one of the reference (see
/// <see cref="SampleTarget"/>).
/// </summary>
public readonly record struct TargetCropWindow(int CropSize, long X1, long Y1,
    int PadLeft, int PadRight, int PadTop, int PadBottom);

/// <summary>
/// Result of <see cref="SampleTarget.Extract(Mat, BoxXywh, double, int?)"/>. Owns its Mats and mask tensor.
/// </summary>
/// <param name="Crop">The crop, same type and channel order as the input image (CV_8UC3 for a frame),
/// <c>OutputSize</c> x <c>OutputSize</c>, or the unresized padded crop when no output size was given.</param>
/// <param name="ResizeFactor"><c>outputSize / cropSize</c> in float64; exactly 1.0 without an output size.</param>
/// <param name="AttentionMask">CV_8UC1, 1 = padding (numpy <c>True</c>), 0 = image; same size as
/// <paramref name="Crop"/>. Resized as float64 with INTER_LINEAR, then every non-zero value became 1, so it is
/// wider than the padding itself.</param>
/// <param name="MaskCrop">Float32 (S, S) tensor: the cropped, zero-padded and bilinearly resized segmentation
/// mask of the 4-output form; null when no mask was given.</param>
/// <param name="Window">Where the crop was cut.</param>
public sealed record TargetCrop(Mat Crop, double ResizeFactor, Mat AttentionMask, Tensor? MaskCrop,
    TargetCropWindow Window) : IDisposable
{
    public void Dispose()
    {
        Crop.Dispose();
        AttentionMask.Dispose();
        MaskCrop?.Dispose();
    }
}

/// <summary>
/// OSTrack's (and STARK's) <c>sample_target</c> and <c>transform_image_to_crop</c>
/// (<c>lib/train/data/processing_utils.py</c>), reproduced pixel for pixel.
/// </summary>
/// <remarks>
/// Pixel-centre convention: box (x, y, w, h) covers x .. x + w and its centre is x + w/2 (no -1). The crop side is
/// <c>ceil(sqrt(w*h) * factor)</c> in float64; its left edge is <c>round(x + 0.5*w - side*0.5)</c> with
/// round-half-to-even (Python <c>round</c>). The part outside the image is padded with zeros, and the
/// right/bottom pad is <c>max(x2 - W + 1, 0)</c>: when the window reaches the right (bottom) border the last image
/// column (row) is dropped and one extra zero column (row) is added, as in the reference. The crop is resized with
/// OpenCV INTER_LINEAR on uint8 (<c>cv2.resize</c>). Works on any channel order (the reference feeds RGB).
/// </remarks>
public static class SampleTarget
{
    /// <summary>The crop window for a box (float64 maths, Python rounding), in image pixels.</summary>
    /// <exception cref="ArgumentException">When the crop side is below 1 pixel ("Too small bounding box").</exception>
    public static TargetCropWindow ComputeWindow(BoxXywh box, double searchAreaFactor, int imageWidth, int imageHeight)
    {
        double side = Math.Ceiling(Math.Sqrt(box.Width * box.Height) * searchAreaFactor);
        if (!(side >= 1))
            throw new ArgumentException($"too small bounding box {box} for factor {searchAreaFactor}: crop side {side} < 1 px", nameof(box));
        if (side > int.MaxValue)
            throw new ArgumentException($"crop side {side} px of box {box} is too large", nameof(box));
        int cropSize = (int)side;
        long x1 = (long)Math.Round(box.X + 0.5 * box.Width - cropSize * 0.5, MidpointRounding.ToEven);
        long y1 = (long)Math.Round(box.Y + 0.5 * box.Height - cropSize * 0.5, MidpointRounding.ToEven);
        long x2 = x1 + cropSize, y2 = y1 + cropSize;
        return new TargetCropWindow(cropSize, x1, y1,
            PadLeft: (int)Math.Max(0, -x1), PadRight: (int)Math.Max(x2 - imageWidth + 1, 0),
            PadTop: (int)Math.Max(0, -y1), PadBottom: (int)Math.Max(y2 - imageHeight + 1, 0));
    }

    /// <summary>
    /// <c>sample_target(im, box, factor, output_sz)</c>: the square crop around <paramref name="box"/>, zero padded,
    /// resized to <paramref name="outputSize"/> (or left at its own size when null), with the resize factor and
    /// the attention mask. The input Mat is not modified.
    /// </summary>
    public static TargetCrop Extract(Mat image, BoxXywh box, double searchAreaFactor, int? outputSize) =>
        Extract(image, box, searchAreaFactor, outputSize, mask: null);

    /// <summary>
    /// The 4-output form <c>sample_target(im, box, factor, output_sz, mask)</c> of training: also crops the float32
    /// (H, W) <paramref name="mask"/> tensor with zero padding and resizes it with torch's bilinear
    /// interpolation (align_corners=False).
    /// </summary>
    public static TargetCrop Extract(Mat image, BoxXywh box, double searchAreaFactor, int? outputSize, Tensor? mask)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty()) throw new ArgumentException("image is empty", nameof(image));
        if (outputSize is < 1) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "output size must be >= 1 px");
        int imageWidth = image.Width, imageHeight = image.Height;
        var win = ComputeWindow(box, searchAreaFactor, imageWidth, imageHeight);
        if (mask is not null && (mask.dim() != 2 || mask.shape[0] != imageHeight || mask.shape[1] != imageWidth))
            throw new ArgumentException($"mask shape [{string.Join(", ", mask.shape)}] does not match the image ({imageHeight}, {imageWidth})", nameof(mask));

        // im[y1 + y1_pad : y2 - y2_pad, x1 + x1_pad : x2 - x2_pad] with Python slice semantics.
        var (r0, r1) = PythonSlice(win.Y1 + win.PadTop, win.Y1 + win.CropSize - win.PadBottom, imageHeight);
        var (c0, c1) = PythonSlice(win.X1 + win.PadLeft, win.X1 + win.CropSize - win.PadRight, imageWidth);
        if (r1 <= r0 || c1 <= c0)
            throw new ArgumentException(
                $"the crop window of box {box} (side {win.CropSize}, top-left {win.X1},{win.Y1}) lies outside the {imageWidth}x{imageHeight} image",
                nameof(box));

        var padded = new Mat();
        Mat? attention = null;
        Tensor? maskCrop = null;
        try
        {
            // BORDER_ISOLATED: OpenCV would otherwise fill the border of a ROI from the parent image (here the
            // dropped last column/row); numpy slices handed to cv2 carry no parent, so the reference pads zeros.
            using (var inside = new Mat(image, new Rect(c0, r0, c1 - c0, r1 - r0)))
                Cv2.CopyMakeBorder(inside, padded, win.PadTop, win.PadBottom, win.PadLeft, win.PadRight,
                    BorderTypes.Constant | BorderTypes.Isolated, Scalar.All(0));

            // Attention mask: float64 ones with the image part set to 0.
            using var att = new Mat(padded.Rows, padded.Cols, MatType.CV_64FC1, Scalar.All(1));
            using (var insideAtt = new Mat(att, new Rect(win.PadLeft, win.PadTop, c1 - c0, r1 - r0)))
                insideAtt.SetTo(Scalar.All(0));

            if (mask is not null)
            {
                using var scope = NewDisposeScope();
                var m = mask.to_type(ScalarType.Float32)
                    .slice(0, r0, r1, 1).slice(1, c0, c1, 1);
                m = nn.functional.pad(m, [win.PadLeft, win.PadRight, win.PadTop, win.PadBottom], PaddingModes.Constant, 0);
                if (outputSize is int s)
                    m = nn.functional.interpolate(m.unsqueeze(0).unsqueeze(0), [s, s], mode: InterpolationMode.Bilinear,
                        align_corners: false)[0, 0];
                maskCrop = m.contiguous().MoveToOuterDisposeScope();
            }

            if (outputSize is not int size)
            {
                attention = NonZeroToOne(att);
                return new TargetCrop(padded, 1.0, attention, maskCrop, win);
            }
            var resized = new Mat();
            try
            {
                Cv2.Resize(padded, resized, new Size(size, size), 0, 0, InterpolationFlags.Linear);
                using var attResized = new Mat();
                Cv2.Resize(att, attResized, new Size(size, size), 0, 0, InterpolationFlags.Linear);
                attention = NonZeroToOne(attResized);
            }
            catch
            {
                resized.Dispose();
                throw;
            }
            padded.Dispose();
            return new TargetCrop(resized, (double)size / win.CropSize, attention, maskCrop, win);
        }
        catch
        {
            padded.Dispose();
            attention?.Dispose();
            maskCrop?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <c>transform_image_to_crop</c>: maps <paramref name="boxIn"/> (image pixels, xywh) into the square crop of
    /// side <paramref name="cropSize"/> that was cut around <paramref name="boxExtract"/> and scaled by
    /// <paramref name="resizeFactor"/>. Float32 maths like the reference's tensors (the boxes are rounded to float32
    /// first, the factor too). Convention: box centres are <c>xy + wh/2</c>, the crop centre is
    /// <c>(cropSize - 1)/2</c> (note the -1); with <paramref name="normalize"/> the result is divided by
    /// <paramref name="cropSize"/>.
    /// </summary>
    public static BoxXywh TransformImageToCrop(BoxXywh boxIn, BoxXywh boxExtract, double resizeFactor, int cropSize,
        bool normalize)
    {
        float rf = (float)resizeFactor, crop = cropSize;
        float exCx = (float)boxExtract.X + 0.5f * (float)boxExtract.Width;
        float exCy = (float)boxExtract.Y + 0.5f * (float)boxExtract.Height;
        float inCx = (float)boxIn.X + 0.5f * (float)boxIn.Width;
        float inCy = (float)boxIn.Y + 0.5f * (float)boxIn.Height;
        float half = (crop - 1f) / 2f;
        float cx = half + (inCx - exCx) * rf, cy = half + (inCy - exCy) * rf;
        float w = (float)boxIn.Width * rf, h = (float)boxIn.Height * rf;
        float x = cx - 0.5f * w, y = cy - 0.5f * h;
        if (normalize) { x /= crop; y /= crop; w /= crop; h /= crop; }
        return new BoxXywh(x, y, w, h);
    }

    /// <summary>Python's <c>seq[start:stop]</c> bounds for a non-negative start (negative stops count from the end).</summary>
    private static (int Start, int Stop) PythonSlice(long start, long stop, int length)
    {
        if (stop < 0) stop = Math.Max(stop + length, 0);
        stop = Math.Min(stop, length);
        start = Math.Min(start, length);
        return ((int)start, (int)stop);
    }

    private static unsafe Mat NonZeroToOne(Mat doubles)
    {
        int rows = doubles.Rows, cols = doubles.Cols;
        var result = new Mat(rows, cols, MatType.CV_8UC1);
        for (int y = 0; y < rows; y++)
        {
            double* src = (double*)doubles.Ptr(y);
            byte* dst = (byte*)result.Ptr(y);
            for (int x = 0; x < cols; x++) dst[x] = src[x] != 0 ? (byte)1 : (byte)0;
        }
        return result;
    }
}
