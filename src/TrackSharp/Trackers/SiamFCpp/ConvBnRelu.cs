using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>
/// videoanalyst's <c>conv_bn_relu</c> block: <c>conv</c> (with bias), then optionally <c>bn</c> (eps 1e-5,
/// momentum 0.1) and optionally ReLU. State-dict names: <c>conv.weight</c>, <c>conv.bias</c>, <c>bn.*</c>
/// (absent when the block has no BN). Note the reference default is <c>has_bn = true</c>, also for the 1x1
/// output convolutions of the head.
/// </summary>
public sealed class ConvBnRelu : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Conv2d conv;
    private readonly BatchNorm2d? bn;
#pragma warning restore IDE1006

    public bool HasBn => bn is not null;
    public bool HasRelu { get; }

    public ConvBnRelu(int input, int output, int stride = 1, int kernel = 3, int padding = 0,
        bool hasBn = true, bool hasRelu = true) : base(nameof(ConvBnRelu))
    {
        conv = Conv2d(input, output, kernel, stride: stride, padding: padding, bias: true);
        if (hasBn) bn = BatchNorm2d(output);
        HasRelu = hasRelu;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (bn is null && !HasRelu) return conv.forward(x);
        using var scope = NewDisposeScope();
        var y = conv.forward(x);
        if (bn is not null) y = bn.forward(y);
        if (HasRelu) y = functional.relu(y, inplace: true);
        return y.MoveToOuterDisposeScope();
    }
}
