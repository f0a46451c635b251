using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamFCpp.Backbones;

/// <summary>
/// torchvision Inception3's <c>BasicConv2d</c> as videoanalyst's <c>googlenet.py</c> keeps it: <c>conv</c>
/// without bias, <c>bn</c> with eps 1e-3 (not the usual 1e-5: the ImageNet weights were trained with it), ReLU.
/// State-dict names <c>conv.weight</c>, <c>bn.weight</c>, <c>bn.bias</c>, <c>bn.running_mean</c>, ...
/// </summary>
public sealed class InceptionConv : Module<Tensor, Tensor>
{
    /// <summary>BatchNorm epsilon of every Inception3 BN (BasicConv2d and channel_reduce).</summary>
    public const double BnEps = 1e-3;

#pragma warning disable IDE1006
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
#pragma warning restore IDE1006

    public InceptionConv(long input, long output, (long H, long W) kernel, (long H, long W)? stride = null,
        (long H, long W)? padding = null) : base(nameof(InceptionConv))
    {
        conv = Conv2d(input, output, (kernel.H, kernel.W), stride: stride ?? (1, 1), padding: padding ?? (0, 0), bias: false);
        bn = BatchNorm2d(output, eps: BnEps);
        RegisterComponents();
    }

    /// <summary>A square kernel with the same stride and padding on both axes.</summary>
    public InceptionConv(long input, long output, long kernel, long stride = 1, long padding = 0)
        : this(input, output, (kernel, kernel), (stride, stride), (padding, padding)) { }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = functional.relu(bn.forward(conv.forward(x)), inplace: true);
        return y.MoveToOuterDisposeScope();
    }
}
