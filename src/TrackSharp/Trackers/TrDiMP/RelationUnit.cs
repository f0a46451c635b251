using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// One attention head of TrDiMP's transformer (<c>RelationUnit</c>): the <b>same</b> projection <c>WK</c> maps
/// queries and keys, both are L2-normalised over channels, the affinity is <c>softmax(30·q·kᵀ)</c> over the keys and
/// the values are used unprojected. <c>WV</c> exists (the checkpoints hold it) but is never used, as in the
/// reference. Sequences are (L, batch, D).
/// </summary>
public sealed class RelationUnit : Module<Tensor, Tensor, Tensor, Tensor>
{
    /// <summary>Softmax temperature of the reference (logits × 30).</summary>
    public const double Temperature = 30.0;

#pragma warning disable IDE1006
    private readonly Linear WK;
    private readonly Linear WV;
#pragma warning restore IDE1006

    public RelationUnit(int featureDim, int keyFeatureDim) : base(nameof(RelationUnit))
    {
        WK = Linear(featureDim, keyFeatureDim);
        WV = Linear(featureDim, featureDim);
        using (no_grad())
        {
            // Reference initialisation: N(0, 2/out_features) weights, zero biases.
            init.normal_(WK.weight!, 0, Math.Sqrt(2.0 / keyFeatureDim));
            init.zeros_(WK.bias!);
            init.normal_(WV.weight!, 0, Math.Sqrt(2.0 / featureDim));
            init.zeros_(WV.bias!);
        }
        RegisterComponents();
    }

    /// <summary>query (Lq, B, D), key (Lk, B, D), value (Lk, B, Dv) → (Lq, B, Dv).</summary>
    public override Tensor forward(Tensor query, Tensor key, Tensor value)
    {
        using var scope = NewDisposeScope();
        var k = functional.normalize(WK.call(key), p: 2, dim: -1).permute(1, 2, 0);   // B, Dk, Lk
        var q = functional.normalize(WK.call(query), p: 2, dim: -1).permute(1, 0, 2); // B, Lq, Dk
        var affinity = functional.softmax(bmm(q, k) * Temperature, dim: -1);
        var output = bmm(affinity, value.permute(1, 0, 2)).permute(1, 0, 2);
        return output.MoveToOuterDisposeScope();
    }
}
