using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Detection.Fcos;

/// <summary>
/// maskrcnn-benchmark's <c>FrozenBatchNorm2d</c>: a per-channel affine map whose four tensors (<c>weight</c>,
/// <c>bias</c>, <c>running_mean</c>, <c>running_var</c>) are buffers, never trained, identical in train and eval.
/// <c>scale = weight * rsqrt(running_var)</c> with <b>no epsilon</b> (the reference's rule), then
/// <c>x * scale + (bias - running_mean * scale)</c>.
/// </summary>
public sealed class FrozenBatchNorm2d : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // reference buffer names; Tensor fields are registered as buffers and follow .to()
    private Tensor weight;
    private Tensor bias;
    private Tensor running_mean;
    private Tensor running_var;
#pragma warning restore IDE1006

    public FrozenBatchNorm2d(long channels) : base(nameof(FrozenBatchNorm2d))
    {
        weight = ones(channels);
        bias = zeros(channels);
        running_mean = zeros(channels);
        running_var = ones(channels);
        RegisterComponents();
    }

    /// <summary>The folded per-channel (scale, shift), computed as the reference computes them.</summary>
    public (Tensor Scale, Tensor Shift) Affine()
    {
        var scale = weight * running_var.rsqrt();
        var shift = bias - running_mean * scale;
        return (scale, shift);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (scale, shift) = Affine();
        return (x * scale.view(1, -1, 1, 1) + shift.view(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }
}
