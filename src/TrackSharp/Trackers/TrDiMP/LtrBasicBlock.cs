using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>ltr BasicBlock: conv3×3(stride) + BN + ReLU, conv3×3 + BN, residual add, ReLU.</summary>
public sealed class LtrBasicBlock : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;
#pragma warning restore IDE1006

    public LtrBasicBlock(int inplanes, int planes, int stride, Sequential? downsample) : base(nameof(LtrBasicBlock))
    {
        conv1 = Conv2d(inplanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(planes);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var o = functional.relu(bn1.call(conv1.call(x)));
        o = bn2.call(conv2.call(o));
        var residual = downsample is null ? x : downsample.call(x);
        return functional.relu(o + residual).MoveToOuterDisposeScope();
    }
}
