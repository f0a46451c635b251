using TrackSharp.Nn.Inference;
using static TorchSharp.torch;

namespace TrackSharp.Nn.Backbones;

/// <summary>
/// <see cref="SqueezeExcite"/> for inference: the same maths on a snapshot of its two Linear layers, with the
/// gate applied in place to the caller's map instead of producing a new one.
/// </summary>
internal sealed class SqueezeExciteInference : IDisposable
{
    private readonly Tensor _w1, _b1, _w2, _b2;

    public SqueezeExciteInference(Tensor w1, Tensor b1, Tensor w2, Tensor b2)
    {
        (_w1, _b1, _w2, _b2) = (w1.DetachFromDisposeScope(), b1.DetachFromDisposeScope(),
            w2.DetachFromDisposeScope(), b2.DetachFromDisposeScope());
    }

    /// <summary>Multiplies <paramref name="x"/> (1xCxHxW, owned by the caller) by its gate in place and returns it.</summary>
    public Tensor ForwardInPlace(Tensor x)
    {
        using var pooled = x.mean(new long[] { 2, 3 });
        using var hidden = nn.functional.linear(pooled, _w1, _b1).relu_();
        using var gate = nn.functional.linear(hidden, _w2, _b2).hardsigmoid_();
        using var gate4 = gate.view(x.shape[0], x.shape[1], 1, 1);
        return x.mul_(gate4);
    }

    public void Dispose()
    {
        _w1.Dispose();
        _b1.Dispose();
        _w2.Dispose();
        _b2.Dispose();
    }
}
