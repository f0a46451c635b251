using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// OSTrack's multi-head self-attention (<c>lib/models/layers/attn.py: Attention</c>, no relative position bias):
/// <c>qkv</c> (with bias) reshaped [B, N, 3, heads, C/heads] and permuted to (3, B, heads, N, C/heads);
/// probabilities = softmax(q·kᵀ · head_dim^-0.5); output = <c>proj</c>(probabilities·v). The probabilities are
/// returned too, because candidate elimination ranks search tokens by them.
/// </summary>
public sealed class Attention : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Linear qkv;
    private readonly Linear proj;
#pragma warning restore IDE1006
    private readonly double _scale;

    public Attention(int dim, int numHeads) : base(nameof(Attention))
    {
        NumHeads = numHeads;
        _scale = Math.Pow(dim / numHeads, -0.5);
        qkv = Linear(dim, dim * 3, hasBias: true);
        proj = Linear(dim, dim, hasBias: true);
        RegisterComponents();
    }

    public int NumHeads { get; }

    public override Tensor forward(Tensor x) => Forward(x, returnProbabilities: false).Output;

    /// <summary>Attention output [B, N, C] and, when asked, the probabilities [B, heads, N, N] (else null).</summary>
    public (Tensor Output, Tensor? Probabilities) Forward(Tensor x, bool returnProbabilities)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        var qkvOut = qkv.forward(x).reshape(b, n, 3, NumHeads, c / NumHeads).permute(2, 0, 3, 1, 4);
        var q = qkvOut[0];
        var k = qkvOut[1];
        var v = qkvOut[2];
        if (!returnProbabilities)
        {
            // Blocks that need no probabilities use the fused kernel (same maths, default scale head_dim^-0.5).
            var fused = functional.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(b, n, c);
            return (proj.forward(fused).MoveToOuterDisposeScope(), null);
        }
        var logits = matmul(q, k.transpose(-2, -1)).mul_(_scale);
        var probabilities = logits.softmax(-1);
        var mixed = matmul(probabilities, v).transpose(1, 2).reshape(b, n, c);
        var output = proj.forward(mixed).MoveToOuterDisposeScope();
        return (output, probabilities.MoveToOuterDisposeScope());
    }
}
