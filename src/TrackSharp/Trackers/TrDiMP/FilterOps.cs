using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// ltr's <c>layers/filter.py</c> for one filter per sequence: applying the filter to features (a grouped
/// correlation, padding ksz/2) and its transpose w.r.t. the filter (the filter gradient). The transpose has two
/// formulations in the reference, <c>_v2</c> (eval/tracking) and <c>_v3</c> (training): same maths, different float
/// rounding, so the one the reference uses in each mode is kept.
/// </summary>
public static class FilterOps
{
    /// <summary>feat (images, sequences, C, H, W) or (images, C, H, W), filter (sequences, C, fH, fW) →
    /// scores (images, sequences, H', W').</summary>
    public static Tensor ApplyFilter(Tensor feat, Tensor filter)
    {
        long numImages = feat.shape[0];
        long numSequences = feat.dim() == 5 ? feat.shape[1] : 1;
        using var scope = NewDisposeScope();
        var scores = F.conv2d(feat.reshape(numImages, -1, feat.shape[^2], feat.shape[^1]), filter,
            padding: [filter.shape[^2] / 2, filter.shape[^1] / 2], groups: numSequences);
        return scores.view(numImages, numSequences, scores.shape[^2], scores.shape[^1]).MoveToOuterDisposeScope();
    }

    /// <summary>Transpose of <see cref="ApplyFilter"/> w.r.t. the filter: input (images, sequences, H', W') →
    /// (sequences, C, fH, fW). <paramref name="training"/> selects the reference's <c>_v3</c>, else <c>_v2</c>.</summary>
    public static Tensor ApplyFeatTranspose(Tensor feat, Tensor input, (long H, long W) filterSize, bool training)
        => training ? TransposeV3(feat, input, filterSize) : TransposeV2(feat, input, filterSize);

    private static Tensor TransposeV2(Tensor feat, Tensor input, (long H, long W) ksz)
    {
        long numImages = feat.shape[0];
        long numSequences = feat.dim() == 5 ? feat.shape[1] : 1;
        using var scope = NewDisposeScope();
        var grad = F.conv2d(input.reshape(1, -1, input.shape[^2], input.shape[^1]),
            feat.reshape(-1, 1, feat.shape[^2], feat.shape[^1]),
            padding: [(ksz.H - 1) / 2, (ksz.W - 1) / 2], groups: numImages * numSequences);
        return grad.view(numImages, numSequences, -1, grad.shape[^2], grad.shape[^1]).sum(dim: 0).flip(2, 3).MoveToOuterDisposeScope();
    }

    private static Tensor TransposeV3(Tensor feat, Tensor input, (long H, long W) ksz)
    {
        long numImages = feat.shape[0];
        long numSequences = feat.dim() == 5 ? feat.shape[1] : 1;
        using var scope = NewDisposeScope();
        var grad = F.conv2d(feat.reshape(-1, feat.shape[^3], feat.shape[^2], feat.shape[^1]).permute(1, 0, 2, 3),
            input.reshape(-1, 1, input.shape[^2], input.shape[^1]),
            padding: [ksz.H / 2, ksz.W / 2], groups: numImages * numSequences);
        var result = numImages == 1
            ? grad.permute(1, 0, 2, 3)
            : grad.view(-1, numImages, numSequences, grad.shape[^2], grad.shape[^1]).sum(1).permute(1, 0, 2, 3);
        return result.MoveToOuterDisposeScope();
    }
}
