using static TorchSharp.torch;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>The two correlation operators of NanoTrack's heads.</summary>
public static class Correlation
{
    /// <summary>
    /// Pixel-wise correlation: every template position (row-major, k = zy * Wz + zx) becomes one output
    /// channel holding its dot product with every search position: (B,C,Hz,Wz) x (B,C,Hx,Wx) -> (B,Hz*Wz,Hx,Wx).
    /// </summary>
    public static Tensor Pixelwise(Tensor search, Tensor kernel)
    {
        long b = search.shape[0], c = search.shape[1], h = search.shape[2], w = search.shape[3];
        using var kernelMatrix = kernel.reshape(b, c, -1).transpose(1, 2);
        using var searchMatrix = search.reshape(b, c, -1);
        using var product = matmul(kernelMatrix, searchMatrix);
        return product.view(b, -1, h, w);
    }

    /// <summary>
    /// Depth-wise correlation with padding 1 (NanoTrack v3's own variant): each channel of the search map is
    /// correlated with the same channel of the kernel; a 4x4 kernel on a 16x16 map gives 15x15.
    /// </summary>
    public static Tensor DepthwisePadded(Tensor search, Tensor kernel)
    {
        long b = kernel.shape[0], c = kernel.shape[1];
        using var x = search.reshape(1, b * c, search.shape[2], search.shape[3]);
        using var k = kernel.reshape(b * c, 1, kernel.shape[2], kernel.shape[3]);
        using var output = nn.functional.conv2d(x, k, padding: new long[] { 1, 1 }, groups: b * c);
        return output.view(b, c, output.shape[2], output.shape[3]);
    }
}
