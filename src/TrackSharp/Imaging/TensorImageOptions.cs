namespace TrackSharp.Imaging;

/// <summary>
/// How an 8-bit image becomes a network input, applied in this order: channel order, then
/// <c>x / 255</c> when <see cref="ScaleTo01"/> is set, then <c>(x - Mean[c]) / Std[c]</c> when
/// <see cref="Mean"/>/<see cref="Std"/> are given. This is the order torchvision's <c>ToTensor</c> +
/// <c>Normalize</c> use, so ImageNet statistics apply unchanged. <see cref="TensorImage.ToMat"/> undoes the
/// same steps in reverse.
/// </summary>
public sealed record TensorImageOptions
{
    /// <summary>Channel order of the tensor. Default: BGR (as OpenCV decodes).</summary>
    public ChannelOrder ChannelOrder { get; init; } = ChannelOrder.Bgr;

    /// <summary>Divide by 255 so values lie in [0, 1]. Default: false (values stay 0..255).</summary>
    public bool ScaleTo01 { get; init; }

    /// <summary>Per-channel mean, in the tensor's channel order and in the units after scaling; null = none.</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel standard deviation, same order and units as <see cref="Mean"/>; null = 1.</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>BGR, 0..255 floats, no normalisation: the input NanoTrack, SiamBAN and SiamRPN++ expect.</summary>
    public static TensorImageOptions Raw { get; } = new();

    /// <summary>RGB, scaled to [0, 1], ImageNet mean/std: the input of OSTrack, TrDiMP and torchvision backbones.</summary>
    public static TensorImageOptions ImageNet { get; } = new()
    {
        ChannelOrder = ChannelOrder.Rgb,
        ScaleTo01 = true,
        Mean = [0.485f, 0.456f, 0.406f],
        Std = [0.229f, 0.224f, 0.225f],
    };

    /// <summary>
    /// The float value of every possible byte in every channel (3 x 256, in the tensor's channel order),
    /// computed with the reference's float32 operations in the reference's order (<c>x / 255</c>, then
    /// <c>- mean</c>, then <c>/ std</c>), so the conversion is a table look-up that matches PyTorch bit for bit.
    /// </summary>
    internal float[] BuildLookupTable()
    {
        ValidateStatistics();
        var table = new float[3 * 256];
        for (int c = 0; c < 3; c++)
            for (int x = 0; x < 256; x++)
            {
                float v = x;
                if (ScaleTo01) v /= 255f;
                if (Mean is not null) v -= Mean[c];
                if (Std is not null) v /= Std[c];
                table[c * 256 + x] = v;
            }
        return table;
    }

    /// <summary>Inverse of one table entry: tensor value back to the 0..255 scale (not rounded).</summary>
    internal float ToPixelScale(float value, int channel)
    {
        if (Std is not null) value *= Std[channel];
        if (Mean is not null) value += Mean[channel];
        if (ScaleTo01) value *= 255f;
        return value;
    }

    internal void ValidateStatistics()
    {
        if (Mean is { Count: not 3 })
            throw new ArgumentException($"Mean must have 3 values (one per channel), got {Mean.Count}");
        if (Std is { Count: not 3 })
            throw new ArgumentException($"Std must have 3 values (one per channel), got {Std.Count}");
        if (Std is not null)
            for (int c = 0; c < 3; c++)
                if (!(Std[c] > 0) || !float.IsFinite(Std[c]))
                    throw new ArgumentException($"Std[{c}] must be positive and finite, got {Std[c]}");
    }
}
