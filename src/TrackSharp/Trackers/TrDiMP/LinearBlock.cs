using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>ltr's <c>LinearBlock</c>: flatten (C·s·s) → linear → BatchNorm2d on (N, out, 1, 1) → ReLU → (N, out).</summary>
public sealed class LinearBlock : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Linear linear;
    private readonly BatchNorm2d bn;
#pragma warning restore IDE1006

    public LinearBlock(int inPlanes, int outPlanes, int inputSize) : base(nameof(LinearBlock))
    {
        linear = Linear(inPlanes * inputSize * inputSize, outPlanes);
        bn = BatchNorm2d(outPlanes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = linear.call(x.reshape(x.shape[0], -1));
        y = functional.relu(bn.call(y.reshape(y.shape[0], y.shape[1], 1, 1)));
        return y.reshape(y.shape[0], -1).MoveToOuterDisposeScope();
    }
}
