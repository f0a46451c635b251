using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// ltr's <c>gaussian_label_function</c>: a Gaussian on the feature grid centred on each box centre. The centre in
/// cells is <c>feat_sz·(c − image_sz/2)/image_sz + 0.5·((ksz + 1) % 2)</c> (an even kernel shifts it by half a cell),
/// the grid is <c>k = −(sz−1)/2 … (sz+1)/2 (+1 when end_pad_if_even and the kernel is even)</c> and
/// <c>sigma = sigma_factor·sqrt(feat_h·feat_w)</c>. TrDiMP's transformer mask uses sigma factor 0.1 without the
/// end pad (22×22); the training classification label uses 1/24 with it (23×23).
/// </summary>
public static class GaussianLabel
{
    /// <summary>boxes (N, 4) xywh in the image (sample) frame → labels (N, rows, cols).</summary>
    public static Tensor Compute(Tensor boxes, double sigmaFactor, int kernelSize, int featureSize, int imageSize, bool endPadIfEven)
    {
        using var scope = NewDisposeScope();
        var bb = boxes.view(-1, 4).to(ScalarType.Float32);
        var center = bb[.., ..2] + 0.5 * bb[.., 2..];
        var norm = (center - imageSize / 2.0f) / (float)imageSize;
        var c = featureSize * norm + 0.5f * ((kernelSize + 1) % 2);
        double sigma = sigmaFactor * Math.Sqrt((double)featureSize * featureSize);
        int endPad = endPadIfEven && kernelSize % 2 == 0 ? 1 : 0;
        var gx = Gauss1d(featureSize, sigma, c[.., 0], endPad);   // columns from the x centre
        var gy = Gauss1d(featureSize, sigma, c[.., 1], endPad);   // rows from the y centre
        var label = gx.reshape(c.shape[0], 1, -1) * gy.reshape(c.shape[0], -1, 1);
        return label.MoveToOuterDisposeScope();
    }

    private static Tensor Gauss1d(int size, double sigma, Tensor center, int endPad)
    {
        var k = arange(-(size - 1) / 2.0, (size + 1) / 2.0 + endPad, 1.0, dtype: ScalarType.Float32).reshape(1, -1);
        var d = k - center.reshape(-1, 1);
        return exp(-1.0 / (2 * sigma * sigma) * (d * d));
    }
}
