using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// Stochastic depth on a residual branch (timm's <c>DropPath</c>): in training every sample's branch is multiplied
/// by 0 or 1/keep (keep = 1 − <see cref="Rate"/>), drawn per call; in evaluation it is the identity.
/// OSTrack's blocks call it twice per block (attention branch, then MLP branch), each an independent draw.
/// The draw is <c>empty(B, 1, 1).bernoulli_(keep)</c> then <c>/ keep</c>, as the golden reference drew it: with the same
/// torch seed, libtorch's CPU generator gives the reference's masks (golden/ostrack_small forward.json, train_keep085).
/// </summary>
public sealed class DropPath : Module<Tensor, Tensor>
{
    public DropPath(double rate) : base(nameof(DropPath))
    {
        if (rate is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(rate), rate, "drop-path rate must be in [0, 1)");
        Rate = rate;
    }

    /// <summary>Probability of dropping a sample's branch.</summary>
    public double Rate { get; }

    /// <summary>
    /// Replaces the random draw (training only): given the branch output, returns the [B, 1, 1] multiplier
    /// (values 0 or 1/keep). Lets a parity test replay the reference's stored draws.
    /// </summary>
    public Func<Tensor, Tensor>? MaskOverride { get; set; }

    /// <summary>The random generator of the draws; null = torch's default (global) generator.</summary>
    public TorchSharp.torch.Generator? Generator { get; set; }

    public override Tensor forward(Tensor branch)
    {
        if (!training || Rate == 0) return branch.alias();
        double keep = 1 - Rate;
        using var mask = MaskOverride?.Invoke(branch) ?? DrawMask(branch, keep, Generator);
        return branch * mask;
    }

    private static Tensor DrawMask(Tensor branch, double keep, TorchSharp.torch.Generator? generator)
    {
        var shape = new long[branch.dim()];
        Array.Fill(shape, 1L);
        shape[0] = branch.shape[0];
        var draw = empty(shape, branch.dtype, branch.device);
        draw.bernoulli_(keep, generator).div_(keep);
        return draw;
    }
}
