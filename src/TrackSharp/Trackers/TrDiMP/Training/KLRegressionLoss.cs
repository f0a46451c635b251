using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP.Training;

/// <summary>
/// The probabilistic box-regression loss of DiMP/PrDiMP (ltr <c>KLRegression</c>): a Monte-Carlo estimate of the KL
/// divergence between the ground-truth box density and the density the IoUNet scores define, from proposals sampled
/// with a known density: <c>logsumexp(s − log q) − log N − mean(s · p/q)</c> over the proposals, mean over the rest.
/// TrDiMP's actor uses it (weight 0.01) instead of the IoU MSE of ATOM.
/// </summary>
public sealed class KLRegressionLoss(double eps = 0.0)
{
    /// <summary>Added to the proposal density before the division and the log (ltr default 0).</summary>
    public double Eps { get; } = eps;

    /// <summary>Loss (scalar) of <paramref name="scores"/> (…, N) with proposal and ground-truth densities of the same shape,
    /// the samples along <paramref name="mcDim"/>.</summary>
    public Tensor Compute(Tensor scores, Tensor sampleDensity, Tensor gtDensity, int mcDim = -1)
    {
        if (!scores.shape.SequenceEqual(sampleDensity.shape) || !scores.shape.SequenceEqual(gtDensity.shape))
            throw new ArgumentException($"KLRegression: scores [{string.Join(", ", scores.shape)}], sample density "
                + $"[{string.Join(", ", sampleDensity.shape)}] and gt density [{string.Join(", ", gtDensity.shape)}] must have one shape");
        using var scope = NewDisposeScope();
        var q = sampleDensity + Eps;
        long n = scores.shape[mcDim < 0 ? scores.dim() + mcDim : mcDim];
        var l = (scores - q.log()).logsumexp(mcDim) - Math.Log(n) - (scores * (gtDensity / q)).mean([mcDim]);
        return l.mean().MoveToOuterDisposeScope();
    }
}
