using static TorchSharp.torch;

namespace TrackSharp.Nn.Inference;

/// <summary>
/// The channels-last (NHWC in memory) layout for NCHW tensors. TorchSharp has no memory-format argument, but
/// libtorch infers the format from the strides, so a permuted NHWC buffer is a channels-last tensor and
/// convolutions keep that layout for their outputs. On CPU the depth-wise convolutions of MobileNet-style
/// networks run 2-3x faster in it (oneDNN's NCHW depth-wise path is slow).
/// </summary>
internal static class ChannelsLast
{
    /// <summary>A copy of a 4-D tensor with the same shape and channels-last strides.</summary>
    public static Tensor Copy(Tensor nchw)
    {
        using var nhwc = nchw.permute(0, 2, 3, 1);
        using var dense = nhwc.contiguous();
        return dense.permute(0, 3, 1, 2);
    }

    /// <summary>
    /// The [H*W, C] matrix of a batch-1 map (one row of channels per position): a view when the map is
    /// channels-last (or a channel slice of one), a copy otherwise.
    /// </summary>
    public static Tensor Rows(Tensor map)
    {
        if (map.shape[0] != 1) throw new ArgumentException("batch 1 only", nameof(map));
        using var nhwc = map.permute(0, 2, 3, 1);
        return nhwc.reshape(map.shape[2] * map.shape[3], map.shape[1]);
    }

    /// <summary>The 1xCxHxW channels-last map whose rows are <paramref name="rows"/> ([H*W, C], row-major): a view.</summary>
    public static Tensor Map(Tensor rows, long height, long width)
    {
        using var nhwc = rows.view(1, height, width, rows.shape[1]);
        return nhwc.permute(0, 3, 1, 2);
    }

    /// <summary>Whether a 4-D tensor is densely stored as NHWC.</summary>
    public static bool Is(Tensor t)
    {
        if (t.dim() != 4) return false;
        var s = t.stride();
        long c = t.shape[1], w = t.shape[3];
        return s[1] == 1 && s[3] == c && s[2] == c * w;
    }
}
