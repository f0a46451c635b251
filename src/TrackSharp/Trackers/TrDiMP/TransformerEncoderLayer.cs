using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>TrDiMP encoder layer: <c>norm(src + selfattn(src, src, src))</c> (no feed-forward network).</summary>
public sealed class TransformerEncoderLayer : Module<Tensor, long[], Tensor>
{
#pragma warning disable IDE1006
    private readonly MultiheadAttention self_attn;
    private readonly InstanceL2Norm norm;
#pragma warning restore IDE1006

    /// <summary><paramref name="selfAttention"/> is shared with the decoder (tied weights, as in the reference).</summary>
    public TransformerEncoderLayer(MultiheadAttention selfAttention, int dModel) : base(nameof(TransformerEncoderLayer))
    {
        self_attn = selfAttention;
        norm = new InstanceL2Norm(Math.Sqrt(1.0 / (dModel * 4 * 4)));
        RegisterComponents();
    }

    /// <summary>src (images·H·W, batch, D); <paramref name="mapShape"/> = (images, batch, D, H, W).</summary>
    public override Tensor forward(Tensor src, long[] mapShape)
    {
        using var scope = NewDisposeScope();
        var sum = src + self_attn.call(src, src, src);
        return TransformerSequence.InstanceNorm(norm, sum, mapShape[0], mapShape[1], mapShape[2], mapShape[3], mapShape[4])
            .MoveToOuterDisposeScope();
    }
}
