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

    /// <summary>Whether <see cref="ConvFolded"/> folds (fast) or runs conv then this layer (the reference's rounding).
    /// The golden model's calibrated statistics make folding differ by ~1e-4 of a map's range at the head, so parity
    /// work keeps it off; inference speed work turns it on (<see cref="FcosModel.FoldFrozenBatchNorm"/>).</summary>
    public bool Fold { get; set; }

    /// <summary>
    /// <c>bn(conv(x))</c> as one convolution with the affine folded into the weights (<c>W * scale</c>, bias
    /// <c>shift</c>): the same function (and gradient with respect to <c>W</c>), one pass over the activations
    /// instead of three. Results differ from the two-step form only by float rounding.
    /// </summary>
    public Tensor ConvFolded(TorchSharp.Modules.Conv2d conv, Tensor x)
    {
        if (!Fold) return forward(conv.forward(x));
        using var scope = NewDisposeScope();
        var (scale, shift) = Affine();
        var w = conv.weight! * scale.view(-1, 1, 1, 1);
        var b = conv.bias is null ? shift : conv.bias * scale + shift;
        return functional.conv2d(x, w, b, conv.stride, conv.padding, conv.dilation, conv.groups).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (scale, shift) = Affine();
        return (x * scale.view(1, -1, 1, 1) + shift.view(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }
}
