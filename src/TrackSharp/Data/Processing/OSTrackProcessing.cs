using System.Buffers;
using System.Runtime.InteropServices;
using OpenCvSharp;
using TorchSharp;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Targets;
using TrackSharp.Geometry;
using static TorchSharp.torch;

namespace TrackSharp.Data.Processing;

/// <summary>
/// OSTrack's training-pair processing (<c>STARKProcessing</c>, mode "sequence", with the transforms of OSTrack's
/// <c>train_script.py</c>), drawing from a <see cref="Random"/> instead of torch/Python RNGs (same formulas, not the
/// same stream, so batches are not bit-identical to the reference's). Steps:
/// <list type="number">
/// <item>Joint transform on the full frames, one draw for template and search: grayscale with
///   <see cref="OSTrackProcessingOptions.GrayscaleProbability"/> (gray copied to 3 channels), horizontal flip with
///   <see cref="OSTrackProcessingOptions.JointFlipProbability"/>; a flipped box is <c>x' = (W − 1) − (x + w)</c>, as the
///   reference's coordinate flip of the corners x and x + w gives.</item>
/// <item>Per crop (template, then search): jitter the ground truth, <c>size = wh·exp(randn·SCALE_JITTER)</c>,
///   <c>centre = xy + wh/2 + sqrt(prod(size))·CENTER_JITTER·(rand − 0.5)</c>; reject when
///   <c>ceil(sqrt(w·h)·FACTOR) &lt; 1</c>; crop with <see cref="SampleTarget"/> at FACTOR to SIZE; map the (unjittered)
///   box into the crop with <see cref="SampleTarget.TransformImageToCrop"/>, normalised.</item>
/// <item>Per crop: brightness factor b uniform in [max(0, 1 − j), 1 + j]; flip with the crop's probability
///   (<c>RandomHorizontalFlip_Norm</c>: <c>x' = 1 − (x + w)</c>, image and attention mask mirrored); pixel values
///   <c>clamp(v·(b/255), 0, 1)</c> (float32 multiply by the float64 factor rounded to float32, as
///   <c>ToTensorAndJitter</c>), then <c>(x − mean)/std</c>, RGB.</item>
/// <item>Reject the draw when an attention mask is all padding or a box has a non-positive (or non-finite) size.</item>
/// <item>Heatmap label: <see cref="CenterHeatmap.Generate(Tensor, int, int)"/> of the search box.</item>
/// </list>
/// Random draws per call, in order: grayscale, joint flip, then per crop randn, randn, rand, rand, brightness, flip
/// (always all of them, also when a factor is 0).
/// </summary>
public sealed class OSTrackProcessing
{
    private readonly float[] _mean, _std;

    public OSTrackProcessing(OSTrackProcessingOptions? options = null)
    {
        Options = options ?? OSTrackProcessingOptions.Default;
        Options.Validate();
        _mean = Options.Mean.ToArray();
        _std = Options.Std.ToArray();
    }

    public OSTrackProcessingOptions Options { get; }

    /// <summary>
    /// Reads the two frames of <paramref name="sequence"/> and processes them with their ground-truth boxes.
    /// </summary>
    /// <returns>The sample, or null when the draw is rejected (the caller redraws).</returns>
    /// <exception cref="FrameReadException">A frame is missing or cannot be decoded (names sequence and frame).</exception>
    public OSTrackSample? Process(TrackingSequence sequence, int templateFrame, int searchFrame, Random random)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var gt = sequence.GroundTruth;
        using var template = sequence.ReadSampleFrame(templateFrame);
        using var search = sequence.ReadSampleFrame(searchFrame);
        return Process(template, gt[templateFrame], search, gt[searchFrame], random);
    }

    /// <summary>
    /// Processes one template frame and one search frame (BGR uint8, as decoded; not modified) with their boxes
    /// (pixel xywh, centre <c>x + w/2</c>).
    /// </summary>
    /// <returns>The sample, or null when the draw is rejected (the caller redraws).</returns>
    public OSTrackSample? Process(Mat templateFrame, BoxXywh templateBox, Mat searchFrame, BoxXywh searchBox, Random random)
    {
        ArgumentNullException.ThrowIfNull(templateFrame);
        ArgumentNullException.ThrowIfNull(searchFrame);
        ArgumentNullException.ThrowIfNull(random);
        if (!templateBox.IsValid || !searchBox.IsValid) return null;

        bool gray = random.NextBool(Options.GrayscaleProbability);
        bool jointFlip = random.NextBool(Options.JointFlipProbability);
        using var z = JointTransform(templateFrame, ref templateBox, gray, jointFlip);
        using var x = JointTransform(searchFrame, ref searchBox, gray, jointFlip);

        using var scope = NewDisposeScope();
        var zCrop = Crop(z.Image, templateBox, Options.Template, random);
        if (zCrop is null) return null;
        var xCrop = Crop(x.Image, searchBox, Options.Search, random);
        if (xCrop is null) return null;

        int m = Options.Search.Size / Options.HeatmapStride;
        var heatmap = CenterHeatmap.Generate(xCrop.Value.Box.unsqueeze(0), Options.Search.Size, Options.HeatmapStride)
            .reshape(m, m);
        var sample = new OSTrackSample(zCrop.Value.Image, zCrop.Value.Attention, zCrop.Value.Box,
            xCrop.Value.Image, xCrop.Value.Attention, xCrop.Value.Box, heatmap);
        foreach (var (_, t) in sample.NamedTensors) t.MoveToOuterDisposeScope();
        return sample;
    }

    private readonly record struct Frame(Mat Image, bool Owned) : IDisposable
    {
        public void Dispose()
        {
            if (Owned) Image.Dispose();
        }
    }

    /// <summary>The joint transform of one full frame: the image by <see cref="JointFrameTransform"/>, the box in double
    /// as <c>(W − 1) − (x + w)</c> (OSTrack's coordinate flip of the corners x and x + w).</summary>
    private static Frame JointTransform(Mat image, ref BoxXywh box, bool gray, bool flip)
    {
        var transformed = JointFrameTransform.Apply(image, gray, flip);
        if (transformed is null) return new Frame(image, false);
        if (flip) box = box with { X = (transformed.Width - 1) - (box.X + box.Width) };
        return new Frame(transformed, true);
    }

    /// <summary><c>_get_jittered_box</c>: all four draws happen whatever the factors.</summary>
    public static BoxXywh JitterBox(BoxXywh box, CropSettings settings, Random random)
    {
        double gw = random.NextGaussian(), gh = random.NextGaussian();
        double rx = random.NextDouble(), ry = random.NextDouble();
        double w = box.Width * Math.Exp(gw * settings.ScaleJitter);
        double h = box.Height * Math.Exp(gh * settings.ScaleJitter);
        double maxOffset = Math.Sqrt(w * h) * settings.CenterJitter;
        double cx = box.X + 0.5 * box.Width + maxOffset * (rx - 0.5);
        double cy = box.Y + 0.5 * box.Height + maxOffset * (ry - 0.5);
        return new BoxXywh(cx - 0.5 * w, cy - 0.5 * h, w, h);
    }

    private (Tensor Image, Tensor Attention, Tensor Box)? Crop(Mat image, BoxXywh box, CropSettings settings, Random random)
    {
        var jittered = JitterBox(box, settings, random);
        double brightness = random.NextUniform(Math.Max(0, 1 - Options.BrightnessJitter), 1 + Options.BrightnessJitter);
        bool flip = random.NextBool(settings.FlipProbability);

        double side = Math.Ceiling(Math.Sqrt(jittered.Width * jittered.Height) * settings.Factor);
        if (!(side >= 1) || !double.IsFinite(jittered.X) || !double.IsFinite(jittered.Y)) return null;
        var window = SampleTarget.ComputeWindow(jittered, settings.Factor, image.Width, image.Height);
        // A window wholly outside the image would be all padding: rejected like the reference's all-padding mask.
        if (window.X1 + window.CropSize - window.PadRight <= window.X1 + window.PadLeft
            || window.Y1 + window.CropSize - window.PadBottom <= window.Y1 + window.PadTop
            || window.X1 + window.PadLeft >= image.Width || window.Y1 + window.PadTop >= image.Height)
            return null;

        using var crop = SampleTarget.Extract(image, jittered, settings.Factor, settings.Size);
        int s = settings.Size;
        if (Cv2.CountNonZero(crop.AttentionMask) == s * s) return null;

        var b = SampleTarget.TransformImageToCrop(box, jittered, crop.ResizeFactor, s, normalize: true);
        float bx = (float)b.X, by = (float)b.Y, bw = (float)b.Width, bh = (float)b.Height;
        if (flip)
        {
            // RandomHorizontalFlip_Norm on the corners x1 and x2 = x1 + w: 1 - x, then min and max - min (float32).
            float x2 = bx + bw;
            float f1 = 1f - bx, f2 = 1f - x2;
            bx = MathF.Min(f1, f2);
            bw = MathF.Max(f1, f2) - bx;
            Cv2.Flip(crop.Crop, crop.Crop, FlipMode.Y);
            Cv2.Flip(crop.AttentionMask, crop.AttentionMask, FlipMode.Y);
        }
        if (!(bw > 0) || !(bh > 0) || !float.IsFinite(bx) || !float.IsFinite(by)) return null;

        var tensor = ToNormalizedTensor(crop.Crop, (float)(brightness / 255.0));
        var attention = MaskToTensor(crop.AttentionMask);
        var boxTensor = torch.tensor(new[] { bx, by, bw, bh }, ScalarType.Float32);
        return (tensor, attention, boxTensor);
    }

    /// <summary>
    /// BGR uint8 crop to a normalised RGB float32 [3, H, W] tensor: <c>(clamp(v·scale, 0, 1) − mean)/std</c> per
    /// channel, each step one float32 operation as the reference's tensor ops (via a 256-entry table per channel).
    /// <paramref name="scale"/> is <c>brightness/255</c> rounded to float32.
    /// </summary>
    public unsafe Tensor ToNormalizedTensor(Mat crop, float scale)
    {
        if (crop.Type() != MatType.CV_8UC3) throw new ArgumentException($"expected a CV_8UC3 crop, got {crop.Type()}", nameof(crop));
        var lut = new float[3 * 256];
        for (int c = 0; c < 3; c++)
            for (int v = 0; v < 256; v++)
            {
                float t = v * scale;
                t = Math.Clamp(t, 0f, 1f);
                lut[c * 256 + v] = (t - _mean[c]) / _std[c];
            }
        int h = crop.Rows, w = crop.Cols, plane = h * w;
        float[] buffer = ArrayPool<float>.Shared.Rent(3 * plane);
        try
        {
            fixed (float* dst = buffer)
            fixed (float* table = lut)
            {
                for (int y = 0; y < h; y++)
                {
                    byte* row = (byte*)crop.Ptr(y);
                    float* r = dst + (long)y * w, g = r + plane, bl = g + plane;
                    for (int x = 0; x < w; x++)
                    {
                        byte* px = row + 3 * x; // B, G, R
                        r[x] = table[px[2]];
                        g[x] = table[256 + px[1]];
                        bl[x] = table[512 + px[0]];
                    }
                }
            }
            var t = torch.empty([3, h, w], ScalarType.Float32);
            t.bytes = MemoryMarshal.AsBytes(buffer.AsSpan(0, 3 * plane));
            return t;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private static unsafe Tensor MaskToTensor(Mat mask)
    {
        int h = mask.Rows, w = mask.Cols;
        var bytes = new byte[h * w];
        for (int y = 0; y < h; y++)
            new ReadOnlySpan<byte>((void*)mask.Ptr(y), w).CopyTo(bytes.AsSpan(y * w, w));
        using var u8 = torch.tensor(bytes, [h, w], ScalarType.Byte);
        return u8.to_type(ScalarType.Bool);
    }
}
