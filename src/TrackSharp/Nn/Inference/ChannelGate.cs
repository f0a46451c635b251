using static TorchSharp.torch;

namespace TrackSharp.Nn.Inference;

/// <summary>
/// Inference form of a per-channel gate on a pooled map: global average pool, Linear, ReLU, Linear, then a sigmoid
/// (<see cref="GateActivation.Sigmoid"/>: NanoTrack's channel attention, whose 1x1 convs on a 1x1 map are these
/// matrix products) or a hard sigmoid (<see cref="GateActivation.HardSigmoid"/>: MobileNetV3's squeeze-excite).
/// Works on a snapshot of the weights and multiplies the caller's map in place.
/// </summary>
internal sealed class ChannelGate : IDisposable
{
    public enum GateActivation { Sigmoid, HardSigmoid }

    private readonly Tensor _w1, _b1, _w2, _b2;
    private readonly GateActivation _activation;

    /// <summary>Takes ownership of the two layers' weights (as [out, in] matrices) and biases.</summary>
    public ChannelGate(Tensor w1, Tensor b1, Tensor w2, Tensor b2, GateActivation activation)
    {
        (_w1, _b1, _w2, _b2) = (w1.DetachFromDisposeScope(), b1.DetachFromDisposeScope(),
            w2.DetachFromDisposeScope(), b2.DetachFromDisposeScope());
        _activation = activation;
    }

    /// <summary>
    /// The gates of several branches whose maps are concatenated along the channels, as one: block-diagonal
    /// weights, so each branch's gate still depends on its own channels only (the zero blocks add exact zeros).
    /// The parts stay owned by the caller and must share one activation.
    /// </summary>
    public static ChannelGate BlockDiagonal(IReadOnlyList<ChannelGate> parts)
    {
        var activation = parts[0]._activation;
        if (parts.Any(p => p._activation != activation))
            throw new ArgumentException("all gates of a block-diagonal gate need the same activation");
        if (parts.Count == 1)
        {
            var p = parts[0];
            return new ChannelGate(p._w1.clone(), p._b1.clone(), p._w2.clone(), p._b2.clone(), activation);
        }
        using var scope = NewDisposeScope();
        return new ChannelGate(block_diag(parts.Select(p => p._w1).ToArray()),
            cat(parts.Select(p => p._b1).ToArray(), 0), block_diag(parts.Select(p => p._w2).ToArray()),
            cat(parts.Select(p => p._b2).ToArray(), 0), activation);
    }

    /// <summary>Multiplies <paramref name="x"/> (1xCxHxW, owned by the caller) by its gate in place and returns it.</summary>
    public Tensor ForwardInPlace(Tensor x)
    {
        using var pooled = x.mean(new long[] { 2, 3 });
        using var hidden = nn.functional.linear(pooled, _w1, _b1).relu_();
        using var linear = nn.functional.linear(hidden, _w2, _b2);
        using var gate = _activation == GateActivation.Sigmoid ? linear.sigmoid_() : linear.hardsigmoid_();
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
