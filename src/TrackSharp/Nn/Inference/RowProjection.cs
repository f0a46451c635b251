using static TorchSharp.torch;

namespace TrackSharp.Nn.Inference;

/// <summary>
/// A fused point-wise (1x1) conv applied to the rows of a channels-last map, i.e. to the [H*W, C] matrix the
/// map's memory already is: <c>y = b + Σ_i x_i W_iᵀ</c>, then the activation in place. The input may come in
/// parts (column slices of a wider matrix, or separate matrices), each with its slice of the weight's input
/// channels: that is a 1x1 conv over their concatenation without building the concatenation, and a column
/// slice is read in place (strided rows are fine for the matrix product).
/// </summary>
internal sealed class RowProjection : IDisposable
{
    private readonly Tensor[] _weights;
    private readonly Tensor? _bias;
    private readonly Activation _activation;

    /// <param name="conv">A point-wise fused conv; its parameters are copied.</param>
    /// <param name="inputParts">Input channels of each part, in order; they must add up to the conv's input width.</param>
    public RowProjection(FusedConv2d conv, params long[] inputParts)
    {
        if (!conv.IsPointwise) throw new ArgumentException("a row projection needs a point-wise conv", nameof(conv));
        var matrix = conv.PointwiseMatrix;
        if (inputParts.Length == 0) inputParts = new[] { matrix.shape[1] };
        if (inputParts.Sum() != matrix.shape[1])
            throw new ArgumentException($"input parts {string.Join("+", inputParts)} != {matrix.shape[1]} channels");
        _weights = new Tensor[inputParts.Length];
        long start = 0;
        for (int i = 0; i < inputParts.Length; i++)
        {
            // [in_i, out]: the right-hand operand of rows x W.
            _weights[i] = matrix.narrow(1, start, inputParts[i]).t().contiguous().DetachFromDisposeScope();
            start += inputParts[i];
        }
        _bias = conv.Bias?.clone().DetachFromDisposeScope();
        _activation = conv.Activation;
    }

    public long OutputChannels => _weights[0].shape[1];

    /// <summary>[rows, out] = activation(bias + Σ parts[i] x W_i); the parts are [rows, in_i] matrices.</summary>
    public Tensor Forward(params Tensor[] parts)
    {
        if (parts.Length != _weights.Length) throw new ArgumentException($"expected {_weights.Length} input parts");
        var y = _bias is null ? parts[0].mm(_weights[0]) : addmm(_bias, parts[0], _weights[0], 1, 1);
        for (int i = 1; i < parts.Length; i++) y.addmm_(parts[i], _weights[i], 1, 1);
        return _activation.ApplyInPlace(y);
    }

    public void Dispose()
    {
        foreach (var w in _weights) w.Dispose();
        _bias?.Dispose();
    }
}
