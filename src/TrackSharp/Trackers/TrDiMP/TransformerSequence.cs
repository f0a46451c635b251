using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// The layout conversions of TrDiMP's transformer: feature maps (images, batch, D, H, W) ↔ sequences
/// (images·H·W, batch, D) with row <c>image·H·W + y·W + x</c>, and the per-image instance normalisation applied to a
/// sequence (each (batch, image) map normalised over (D, H, W)).
/// </summary>
public static class TransformerSequence
{
    /// <summary>(images, batch, D, H, W) → (images·H·W, batch, D).</summary>
    public static Tensor FromMaps(Tensor maps)
    {
        long n = maps.shape[0], b = maps.shape[1], d = maps.shape[2];
        return maps.reshape(n, b, d, -1).permute(0, 3, 1, 2).reshape(-1, b, d);
    }

    /// <summary>(images·H·W, batch, D) → (images·batch, D, H, W) (the order of the reference's <c>output_feat</c>).</summary>
    public static Tensor ToMaps(Tensor sequence, long images, long batch, long dim, long height, long width)
        => sequence.reshape(images, height, width, batch, dim).permute(0, 3, 4, 1, 2).reshape(-1, dim, height, width);

    /// <summary>Instance-normalises each map of a sequence and returns the sequence layout again.</summary>
    public static Tensor InstanceNorm(InstanceL2Norm norm, Tensor sequence, long images, long batch, long dim, long height, long width)
    {
        using var scope = NewDisposeScope();
        var maps = norm.call(ToMaps(sequence, images, batch, dim, height, width));
        return maps.reshape(images, batch, dim, -1).permute(0, 3, 1, 2).reshape(-1, batch, dim).MoveToOuterDisposeScope();
    }
}
