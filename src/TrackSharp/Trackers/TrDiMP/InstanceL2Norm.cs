using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// ltr's <c>InstanceL2Norm</c> (size-averaged): scales every sample so that its mean square over (C, H, W) becomes
/// <c>scale²</c>: <c>x · scale · sqrt(C·H·W / (Σx² + eps))</c>. DiMP uses it on the classification features with
/// <c>scale = sqrt(1 / (C·filter_size²))</c> so that the filter responses start at a sensible magnitude; TrDiMP's
/// transformer normalises after every residual connection with it.
/// </summary>
public sealed class InstanceL2Norm : Module<Tensor, Tensor>
{
    public InstanceL2Norm(double scale, double eps = 1e-5) : base(nameof(InstanceL2Norm))
    {
        Scale = scale;
        Eps = eps;
    }

    public double Scale { get; }
    public double Eps { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long n = input.shape[1] * input.shape[2] * input.shape[3];
        var sumSq = (input * input).reshape(input.shape[0], 1, 1, -1).sum(3, keepdim: true);
        return (input * (Scale * (n / (sumSq + Eps)).sqrt())).MoveToOuterDisposeScope();
    }
}
