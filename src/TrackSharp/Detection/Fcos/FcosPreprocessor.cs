using TrackSharp.Detection.Data;
using System.Runtime.InteropServices;
using OpenCvSharp;
using static TorchSharp.torch;

namespace TrackSharp.Detection.Fcos;

/// <summary>One image made ready for <see cref="FcosModel"/>: the padded batch of one and the sizes to map boxes back.</summary>
public sealed class FcosInput : IDisposable
{
    internal FcosInput(Tensor images, int resizedHeight, int resizedWidth, int originalHeight, int originalWidth)
    {
        Images = images; ResizedHeight = resizedHeight; ResizedWidth = resizedWidth; OriginalHeight = originalHeight; OriginalWidth = originalWidth;
    }

    /// <summary>(1, 3, H_pad, W_pad) float32, normalised, zero padded at the bottom and right.</summary>
    public Tensor Images { get; }
    public int ResizedHeight { get; }
    public int ResizedWidth { get; }
    public int OriginalHeight { get; }
    public int OriginalWidth { get; }
    public void Dispose() => Images.Dispose();
}

/// <summary>
/// maskrcnn-benchmark's test transform for FCOS: <see cref="DetectionTransform"/> in test mode (short side
/// <c>MIN_SIZE_TEST</c> unless the long side would exceed <c>MAX_SIZE_TEST</c>, Pillow's antialiased bilinear resize,
/// BGR 0..255 when <c>TO_BGR255</c> else RGB 0..1, minus <c>PIXEL_MEAN</c>, divided by <c>PIXEL_STD</c>, no flip),
/// then zero padding to a multiple of <c>SIZE_DIVISIBILITY</c>: the reference's network input, bit for bit.
/// </summary>
public sealed class FcosPreprocessor
{
    private readonly FcosModelOptions _o;
    private readonly DetectionTransform _transform;
    private readonly Random _unused = new(0); // test mode draws nothing (one size, flip probability 0)

    public FcosPreprocessor(FcosModelOptions options)
    {
        _o = options;
        _transform = new DetectionTransform(DetectionTransformOptions.Test(options.MinSizeTest, options.MaxSizeTest) with
        {
            PixelMean = options.PixelMean,
            PixelStd = options.PixelStd,
            ToBgr255 = options.ToBgr255,
        });
    }

    /// <summary>Prepares a BGR uint8 image.</summary>
    public FcosInput Prepare(Mat bgr)
    {
        if (bgr.Empty()) throw new ArgumentException("empty image");
        if (bgr.Type() != MatType.CV_8UC3) throw new ArgumentException($"expected a BGR 8-bit 3-channel image, got {bgr.Type()}");
        int h0 = bgr.Rows, w0 = bgr.Cols;
        var none = new DetectionTarget([], [], null, w0, h0);
        using var sample = _transform.Apply(bgr, none, _unused);
        int h = (int)sample.Image.shape[1], w = (int)sample.Image.shape[2];
        int d = Math.Max(1, _o.SizeDivisibility);
        int hp = (h + d - 1) / d * d, wp = (w + d - 1) / d * d;
        using var scope = NewDisposeScope();
        var padded = zeros(1, 3, hp, wp);
        padded[0, .., ..h, ..w] = sample.Image;
        return new FcosInput(padded.MoveToOuterDisposeScope(), h, w, h0, w0);
    }
}
