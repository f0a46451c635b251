using static TorchSharp.torch;

namespace TrackSharp.Detection.Fcos;

/// <summary>
/// FCOS feature-map locations (<c>compute_locations</c>): the point of cell (row r, column c) of a level with stride
/// <c>s</c> is <c>(c * s + s / 2, r * s + s / 2)</c> with the integer half stride (4, 8, 16, 32, 64 for P3..P7), in
/// input-image pixels. Points are flattened y-major (row by row) as (x, y) pairs; levels are ordered P3 (stride 8)
/// to P7 (stride 128).
/// </summary>
public static class FcosLocations
{
    /// <summary>The FCOS FPN strides, P3..P7.</summary>
    public static IReadOnlyList<int> DefaultStrides { get; } = new[] { 8, 16, 32, 64, 128 };

    /// <summary>Locations of one level as interleaved (x, y) float32 pairs, length <c>2 * height * width</c>.</summary>
    public static float[] ForLevel(int height, int width, int stride)
    {
        if (height < 0 || width < 0) throw new ArgumentOutOfRangeException(nameof(height), $"feature size {height}x{width} is negative");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), $"stride {stride} must be positive");
        var r = new float[2L * height * width];
        int half = stride / 2;
        int i = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                r[i++] = x * stride + half;
                r[i++] = y * stride + half;
            }
        return r;
    }

    /// <summary>Locations of one level as a (height * width, 2) float32 tensor.</summary>
    public static Tensor ForLevelTensor(int height, int width, int stride, Device? device = null)
        => tensor(ForLevel(height, width, stride), new long[] { (long)height * width, 2 }, dtype: ScalarType.Float32, device: device);

    /// <summary>Locations of every level, one (H_l * W_l, 2) tensor per level, for feature maps (N, C, H_l, W_l).</summary>
    public static Tensor[] Compute(IReadOnlyList<Tensor> features, IReadOnlyList<int>? strides = null)
    {
        strides ??= DefaultStrides;
        if (features.Count != strides.Count)
            throw new ArgumentException($"{features.Count} feature maps but {strides.Count} strides");
        var r = new Tensor[features.Count];
        for (int l = 0; l < features.Count; l++)
        {
            var f = features[l];
            r[l] = ForLevelTensor((int)f.shape[^2], (int)f.shape[^1], strides[l], f.device);
        }
        return r;
    }
}
