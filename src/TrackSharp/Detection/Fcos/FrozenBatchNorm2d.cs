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
    private readonly Tensor _weight, _bias, _mean, _var;

    public FrozenBatchNorm2d(long channels) : base(nameof(FrozenBatchNorm2d))
    {
        _weight = ones(channels);
        _bias = zeros(channels);
        _mean = zeros(channels);
        _var = ones(channels);
        register_buffer("weight", _weight);
        register_buffer("bias", _bias);
        register_buffer("running_mean", _mean);
        register_buffer("running_var", _var);
    }

    /// <summary>The folded per-channel (scale, shift), computed as the reference computes them.</summary>
    public (Tensor Scale, Tensor Shift) Affine()
    {
        var scale = _weight * _var.rsqrt();
        var shift = _bias - _mean * scale;
        return (scale, shift);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (scale, shift) = Affine();
        return (x * scale.view(1, -1, 1, 1) + shift.view(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }
}
