using OpenCvSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>Kind of one initial-sample augmentation (pytracking <c>features/augmentation.py</c>).</summary>
public enum InitAugmentationKind { Identity, Translation, FlipHorizontal, Blur, Rotate }

/// <summary>
/// One augmentation of the first frame: applied to the expanded crop, then cut to the output size with
/// <c>crop_to_output</c> (output row r = input row r + (in − out)/2 − shift_y, edges replicated). Shift is (y, x).
/// Blur is separable Gaussian with <c>ksz = 2·ceil(2σ) + 1</c> and zero padding; Rotate uses OpenCV's warpAffine
/// (bilinear, replicated border) about <c>((H − 1)/2, (W − 1)/2)</c>, exactly the reference's call.
/// </summary>
public sealed record InitAugmentation(InitAugmentationKind Kind, int ShiftY, int ShiftX, double SigmaY = 0, double SigmaX = 0, double AngleDegrees = 0)
{
    /// <summary>Applies the augmentation to <paramref name="image"/> (1, C, H, W) float32 and crops to <paramref name="outputSize"/>.</summary>
    public Tensor Apply(Tensor image, int outputSize)
    {
        using var scope = NewDisposeScope();
        var x = Kind switch
        {
            InitAugmentationKind.FlipHorizontal => image.flip(3),
            InitAugmentationKind.Blur => Blur(image),
            InitAugmentationKind.Rotate => Rotate(image),
            _ => image,
        };
        return CropToOutput(x, outputSize).MoveToOuterDisposeScope();
    }

    private Tensor CropToOutput(Tensor image, int outputSize)
    {
        long h = image.shape[2], w = image.shape[3];
        double padH = (outputSize - h) / 2.0, padW = (outputSize - w) / 2.0;
        long top = (long)Math.Floor(padH) + ShiftY, left = (long)Math.Floor(padW) + ShiftX;
        var rows = arange(outputSize, dtype: ScalarType.Int64) - top;
        var cols = arange(outputSize, dtype: ScalarType.Int64) - left;
        return image.index_select(2, rows.clamp(0, h - 1)).index_select(3, cols.clamp(0, w - 1));
    }

    private Tensor Blur(Tensor image)
    {
        long h = image.shape[2], w = image.shape[3];
        int fy = (int)Math.Ceiling(2 * SigmaY), fx = (int)Math.Ceiling(2 * SigmaX);
        var ky = Kernel(fy, SigmaY).view(1, 1, -1, 1);
        var kx = Kernel(fx, SigmaX).view(1, 1, 1, -1);
        var im1 = F.conv2d(image.view(-1, 1, h, w), ky, padding: [fy, 0]);
        return F.conv2d(im1, kx, padding: [0, fx]).view(1, -1, h, w);
    }

    private static Tensor Kernel(int size, double sigma)
    {
        var x = arange(-size, size + 1, dtype: ScalarType.Float32);
        var g = exp(-(x * x) / (2 * sigma * sigma));
        return g / g.sum();
    }

    private Tensor Rotate(Tensor image)
    {
        int h = (int)image.shape[2], w = (int)image.shape[3], ch = (int)image.shape[1];
        double a = Math.PI * AngleDegrees / 180;
        double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0;
        // The reference builds c = ((H−1)/2, (W−1)/2) in (y, x) order and uses it as (x, y): kept as is.
        double c0 = cy, c1 = cx;
        double r00 = Math.Cos(a), r01 = Math.Sin(a), r10 = -Math.Sin(a), r11 = Math.Cos(a);
        using var m = new Mat(2, 3, MatType.CV_64FC1);
        m.Set(0, 0, r00); m.Set(0, 1, r01); m.Set(0, 2, c0 - (r00 * c0 + r01 * c1));
        m.Set(1, 0, r10); m.Set(1, 1, r11); m.Set(1, 2, c1 - (r10 * c0 + r11 * c1));
        var hwc = image[0].permute(1, 2, 0).contiguous();
        var data = hwc.data<float>().ToArray();
        using var src = new Mat(h, w, MatType.CV_32FC(ch));
        System.Runtime.InteropServices.Marshal.Copy(data, 0, src.Data, data.Length);
        using var dst = new Mat();
        Cv2.WarpAffine(src, dst, m, new OpenCvSharp.Size(w, h), InterpolationFlags.Linear, BorderTypes.Replicate);
        var outData = new float[data.Length];
        System.Runtime.InteropServices.Marshal.Copy(dst.Data, outData, 0, outData.Length);
        return tensor(outData).view(h, w, ch).permute(2, 0, 1).unsqueeze(0).contiguous();
    }
}
