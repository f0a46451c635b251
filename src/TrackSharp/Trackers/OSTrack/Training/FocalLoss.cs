using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack.Training;

/// <summary>
/// CornerNet's focal loss on a Gaussian heatmap as OSTrack computes it (<c>lib/utils/focal_loss.py: FocalLoss</c>,
/// alpha 2, beta 4). Only pixels whose target is exactly 1 are positives (README trap 26); the prediction is clamped
/// to at least 1e-12 before the logarithms; the sum is divided by the number of positives, or not divided at all when
/// there is none (the loss is then the negative term alone).
/// </summary>
public static class FocalLoss
{
    /// <summary>The scalar loss of <paramref name="prediction"/> against <paramref name="target"/> (same shape, values in [0, 1]).</summary>
    public static Tensor Compute(Tensor prediction, Tensor target, double alpha = 2, double beta = 4)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        using var scope = NewDisposeScope();
        var positive = target.eq(1).to(ScalarType.Float32);
        var negative = target.lt(1).to(ScalarType.Float32);
        var negativeWeights = (1 - target).pow(beta);
        var p = prediction.clamp_min(1e-12);
        var positiveLoss = (p.log() * (1 - p).pow(alpha) * positive).sum();
        var negativeLoss = ((1 - p).log() * p.pow(alpha) * negativeWeights * negative).sum();
        var numPositive = positive.sum();
        var loss = numPositive.item<float>() == 0
            ? -negativeLoss
            : -(positiveLoss + negativeLoss) / numPositive;
        return loss.MoveToOuterDisposeScope();
    }
}
