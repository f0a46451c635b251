using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// timm's <c>trunc_normal_</c> (inverse-CDF sampling: uniform in [2·Φ(a′) − 1, 2·Φ(b′) − 1], <c>erfinv</c>, scale by
/// std·√2, shift by the mean, clamp to [a, b]), written out here because TorchSharp 0.107's <c>init.trunc_normal_</c>
/// leaves NaN in large tensors (seen on ViT-B's 768×2304 qkv weights with a fixed seed), which poisons a model trained
/// from scratch. The bounds a and b are absolute values, as in timm (default ±2).
/// </summary>
internal static class TruncatedNormal
{
    public static void Fill(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2)
    {
        using var noGrad = no_grad();
        double l = NormCdf((a - mean) / std), u = NormCdf((b - mean) / std);
        tensor.uniform_(2 * l - 1, 2 * u - 1);
        tensor.clamp_(-1, 1); // erfinv is NaN outside [-1, 1]: guard the draw (±1 gives ±inf, clamped below)
        tensor.erfinv_();
        tensor.mul_(std * Math.Sqrt(2.0));
        tensor.add_(mean);
        tensor.clamp_(a, b);
    }

    private static double NormCdf(double x) => (1.0 + Erf(x / Math.Sqrt(2.0))) / 2.0;

    /// <summary>erf to double precision (Abramowitz–Stegun 7.1.26 is too coarse; this uses the series/continued fraction
    /// split of Numerical Recipes' erfc).</summary>
    private static double Erf(double x)
    {
        double t = 1.0 / (1.0 + 0.5 * Math.Abs(x));
        double y = t * Math.Exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
                   t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - y : y - 1;
    }
}
