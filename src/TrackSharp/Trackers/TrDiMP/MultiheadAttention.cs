using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// TrDiMP's <c>MultiheadAttention</c>: <c>head</c> relation units whose outputs are concatenated along the channels
/// (no output projection). TrDiMP uses one head with key dimension 128.
/// </summary>
public sealed class MultiheadAttention : Module<Tensor, Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly ModuleList<RelationUnit> head;
#pragma warning restore IDE1006

    public MultiheadAttention(int featureDim, int numHeads = 1, int keyFeatureDim = 128) : base(nameof(MultiheadAttention))
    {
        head = new ModuleList<RelationUnit>();
        for (int i = 0; i < numHeads; i++) head.Add(new RelationUnit(featureDim, keyFeatureDim));
        RegisterComponents();
    }

    public override Tensor forward(Tensor query, Tensor key, Tensor value)
    {
        if (head.Count == 1) return head[0].call(query, key, value);
        using var scope = NewDisposeScope();
        return cat(head.Select(h => h.call(query, key, value)).ToArray(), -1).MoveToOuterDisposeScope();
    }
}
