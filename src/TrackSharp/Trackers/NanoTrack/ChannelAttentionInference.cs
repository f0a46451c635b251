using static TorchSharp.torch;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// <see cref="ChannelAttention"/> for inference: its 1x1 convs on the pooled 1x1 map are plain matrix products,
/// and the gate multiplies the caller's map in place.
/// </summary>
internal sealed class ChannelAttentionInference : IDisposable
{
    private readonly Tensor _w1, _b1, _w2, _b2;

    /// <summary>Takes ownership of fc1's and fc2's weights (as [C, C] matrices) and biases.</summary>
    public ChannelAttentionInference(Tensor w1, Tensor b1, Tensor w2, Tensor b2)
    {
        (_w1, _b1, _w2, _b2) = (w1.DetachFromDisposeScope(), b1.DetachFromDisposeScope(),
            w2.DetachFromDisposeScope(), b2.DetachFromDisposeScope());
    }

    /// <summary>
    /// The attentions of several branches whose maps are concatenated along the channels, as one: block-diagonal
    /// weights, so each branch's gate still depends on its own channels only (the zero blocks add exact zeros).
    /// The parts stay owned by the caller.
    /// </summary>
    public static ChannelAttentionInference BlockDiagonal(IReadOnlyList<ChannelAttentionInference> parts)
    {
        if (parts.Count == 1)
        {
            var p = parts[0];
            return new ChannelAttentionInference(p._w1.clone(), p._b1.clone(), p._w2.clone(), p._b2.clone());
        }
        using var scope = NewDisposeScope();
        return new ChannelAttentionInference(block_diag(parts.Select(p => p._w1).ToArray()),
            cat(parts.Select(p => p._b1).ToArray(), 0), block_diag(parts.Select(p => p._w2).ToArray()),
            cat(parts.Select(p => p._b2).ToArray(), 0));
    }

    /// <summary>Multiplies <paramref name="x"/> (1xCxHxW, owned by the caller) by its channel gate in place.</summary>
    public Tensor ForwardInPlace(Tensor x)
    {
        using var pooled = x.mean(new long[] { 2, 3 });
        using var hidden = nn.functional.linear(pooled, _w1, _b1).relu_();
        using var gate = nn.functional.linear(hidden, _w2, _b2).sigmoid_();
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
