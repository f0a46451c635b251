using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace TrackSharp.Detection.Data;

/// <summary>
/// maskrcnn-benchmark's <c>build_transforms</c> chain: <c>Resize(min, max)</c> (a min size drawn per image, the
/// output size from <see cref="MinMaxResize"/>, boxes scaled with <see cref="DetectionTarget.Resize"/>), then
/// <c>RandomHorizontalFlip(p)</c>, <c>ToTensor</c> and <c>Normalize(mean, std, to_bgr255)</c>. Random draws come from
/// the caller's <see cref="Random"/> in the reference's order (size first, then the flip), so a seeded pipeline is
/// reproducible. Pixels are resized with Pillow's antialiased bilinear as the reference's PIL images are (bit-exact,
/// see <see cref="PilBilinearResize"/>) unless <see cref="DetectionTransformOptions.PillowResize"/> is off; with
/// OpenCV's JPEG decoding matching Pillow's, the network input equals the reference's from the file on.
/// </summary>
public sealed class DetectionTransform
{
    private readonly float[][] _lookup;

    public DetectionTransform(DetectionTransformOptions options)
    {
        options.Validate();
        Options = options;
        _lookup = BuildLookup(options);
    }

    public DetectionTransformOptions Options { get; }

    /// <summary>Transforms one BGR uint8 image and its target.</summary>
    public DetectionSample Apply(Mat bgr, DetectionTarget target, Random random, int index = -1)
    {
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3) throw new ArgumentException($"expected a BGR uint8 image (CV_8UC3), got {bgr.Type()}");
        if (bgr.Width != target.Width || bgr.Height != target.Height)
            throw new ArgumentException($"image {index}: the image is {bgr.Width}x{bgr.Height} but its annotation says {target.Width}x{target.Height}");
        int minSize = Options.MinSizes[random.Next(Options.MinSizes.Count)];
        var (h, w) = MinMaxResize.GetSize(bgr.Width, bgr.Height, minSize, Options.MaxSize);
        bool flip = random.NextDouble() < Options.FlipProbability;

        Mat resized = bgr;
        try
        {
            if (h != bgr.Height || w != bgr.Width)
            {
                if (Options.PillowResize)
                    resized = PilBilinearResize.Resize(bgr, w, h);
                else
                {
                    resized = new Mat();
                    Cv2.Resize(bgr, resized, new OpenCvSharp.Size(w, h), 0, 0, InterpolationFlags.Linear);
                }
            }
            var t = target.Resize(w, h);
            if (flip)
            {
                var flipped = new Mat();
                Cv2.Flip(resized, flipped, FlipMode.Y);
                if (!ReferenceEquals(resized, bgr)) resized.Dispose();
                resized = flipped;
                t = t.FlipHorizontally();
            }
            return new DetectionSample(ToNormalizedTensor(resized), t, index);
        }
        finally
        {
            if (!ReferenceEquals(resized, bgr)) resized.Dispose();
        }
    }

    /// <summary>
    /// <c>ToTensor</c> then <c>Normalize</c> of a BGR uint8 image into CHW float32, with the reference's float32
    /// arithmetic: <c>v / 255</c>, then (to_bgr255) <c>* 255</c> (not always <c>v</c> again), minus the mean, divided by
    /// the std. Channel order: BGR with to_bgr255, RGB otherwise.
    /// </summary>
    public unsafe Tensor ToNormalizedTensor(Mat bgr)
    {
        if (bgr.Type() != MatType.CV_8UC3) throw new ArgumentException($"expected a BGR uint8 image (CV_8UC3), got {bgr.Type()}");
        int h = bgr.Rows, w = bgr.Cols, plane = h * w;
        var data = new float[3 * plane];
        // Output channel c reads Mat channel source[c] (BGR stays BGR for to_bgr255; reversed to RGB otherwise).
        int[] source = Options.ToBgr255 ? [0, 1, 2] : [2, 1, 0];
        fixed (float* dst = data)
        {
            for (int y = 0; y < h; y++)
            {
                byte* row = (byte*)bgr.Ptr(y);
                for (int c = 0; c < 3; c++)
                {
                    float* o = dst + c * plane + y * w;
                    float[] lut = _lookup[c];
                    int s = source[c];
                    for (int x = 0; x < w; x++) o[x] = lut[row[3 * x + s]];
                }
            }
        }
        return torch.tensor(data, [3, h, w], ScalarType.Float32);
    }

    private static float[][] BuildLookup(DetectionTransformOptions o)
    {
        var lut = new float[3][];
        for (int c = 0; c < 3; c++)
        {
            lut[c] = new float[256];
            for (int v = 0; v < 256; v++)
            {
                float x = v / 255f;
                if (o.ToBgr255) x *= 255f;
                lut[c][v] = (x - o.PixelMean[c]) / o.PixelStd[c];
            }
        }
        return lut;
    }
}
