using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// TrDiMP decoder layer: self-attention on the query frame (weights shared with the encoder), then two branches
/// through the same cross-attention module: the <b>mask</b> branch attends with the memory's Gaussian target labels
/// as values and multiplies the query with the result, the <b>feature-transform</b> branch attends with the
/// label-weighted memory as values and adds the result to the query. Each step is instance-normalised:
/// <c>t = norm(t + sa(t)); t2 = norm(t·ca(t, mem, pos)); t4 = norm(t + ca(t, mem, mem·pos)); out = norm(t2 + t4)</c>.
/// </summary>
public sealed class TransformerDecoderLayer : Module<Tensor, Tensor, Tensor, long[], Tensor>
{
#pragma warning disable IDE1006
    private readonly MultiheadAttention self_attn;
    private readonly MultiheadAttention cross_attn;
    private readonly InstanceL2Norm norm;
#pragma warning restore IDE1006

    public TransformerDecoderLayer(MultiheadAttention selfAttention, int dModel) : base(nameof(TransformerDecoderLayer))
    {
        self_attn = selfAttention;
        cross_attn = new MultiheadAttention(dModel, 1, 128);
        norm = new InstanceL2Norm(Math.Sqrt(1.0 / (dModel * 4 * 4)));
        RegisterComponents();
    }

    /// <summary>tgt (H·W, batch, D), memory (L, batch, D), pos (L, batch, D) = labels repeated over channels;
    /// <paramref name="mapShape"/> = the query's (1, batch, D, H, W).</summary>
    public override Tensor forward(Tensor tgt, Tensor memory, Tensor pos, long[] mapShape)
    {
        using var scope = NewDisposeScope();
        Tensor Norm(Tensor s) => TransformerSequence.InstanceNorm(norm, s, mapShape[0], mapShape[1], mapShape[2], mapShape[3], mapShape[4]);
        var t = Norm(tgt + self_attn.call(tgt, tgt, tgt));
        var mask = cross_attn.call(t, memory, pos);
        var t2 = Norm(t * mask);
        var t3 = cross_attn.call(t, memory, memory * pos);
        var t4 = Norm(t + t3);
        return Norm(t2 + t4).MoveToOuterDisposeScope();
    }
}
