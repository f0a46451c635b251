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
/// maskrcnn-benchmark's test transform for FCOS: resize so the short side is <c>MIN_SIZE_TEST</c> unless the long
/// side would exceed <c>MAX_SIZE_TEST</c> (<see cref="MinMaxResize"/>), pixels as BGR 0..255 when <c>TO_BGR255</c>
/// (else RGB 0..1), minus <c>PIXEL_MEAN</c>, divided by <c>PIXEL_STD</c>, zero padded to a multiple of
/// <c>SIZE_DIVISIBILITY</c>. Resizing is OpenCV's (area when shrinking, bilinear when enlarging); the reference uses
/// PIL's antialiased bilinear, so pixels differ by a few gray levels (the network itself is checked on the
/// reference's own input tensor).
/// </summary>
public sealed class FcosPreprocessor
{
    private readonly FcosModelOptions _o;

    public FcosPreprocessor(FcosModelOptions options) => _o = options;

    /// <summary>Prepares a BGR uint8 image.</summary>
    public FcosInput Prepare(Mat bgr)
    {
        if (bgr.Empty()) throw new ArgumentException("empty image");
        if (bgr.Type() != MatType.CV_8UC3) throw new ArgumentException($"expected a BGR 8-bit 3-channel image, got {bgr.Type()}");
        int h0 = bgr.Rows, w0 = bgr.Cols;
        var (h, w) = MinMaxResize.GetSize(w0, h0, _o.MinSizeTest, _o.MaxSizeTest);
        using var resized = new Mat();
        if (h != h0 || w != w0) Cv2.Resize(bgr, resized, new OpenCvSharp.Size(w, h), 0, 0,
                h < h0 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        else bgr.CopyTo(resized);
        var bytes = new byte[(long)h * w * 3];
        using (var cont = resized.IsContinuous() ? resized.Clone() : resized.Clone())   // Clone() is continuous
            Marshal.Copy(cont.Data, bytes, 0, bytes.Length);
        int d = Math.Max(1, _o.SizeDivisibility);
        int hp = (h + d - 1) / d * d, wp = (w + d - 1) / d * d;
        using var scope = NewDisposeScope();
        var img = tensor(bytes, new long[] { h, w, 3 }).to_type(ScalarType.Float32).permute(2, 0, 1);
        if (!_o.ToBgr255) img = img.flip(0) / 255f;
        var mean = tensor(_o.PixelMean.ToArray()).view(3, 1, 1);
        var std = tensor(_o.PixelStd.ToArray()).view(3, 1, 1);
        img = (img - mean) / std;
        var padded = zeros(1, 3, hp, wp);
        padded[0, .., ..h, ..w] = img;
        return new FcosInput(padded.MoveToOuterDisposeScope(), h, w, h0, w0);
    }
}
