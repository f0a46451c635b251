using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>What a <see cref="CandidateEliminationBlock"/> returns: the tokens (template first, then the surviving search
/// tokens), the global index of those search tokens (float32 [B, Ls']), the indices it removed (null = none), and the
/// attention probabilities when they were asked for.</summary>
public sealed record CandidateEliminationBlockOutput(Tensor Tokens, Tensor GlobalIndexSearch, Tensor? RemovedIndex, Tensor? Attention);

/// <summary>
/// OSTrack's <c>CEBlock</c> (pre-norm transformer block, LayerNorm eps 1e-6):
/// <c>x = x + drop_path(attn(norm1(x)))</c>, then candidate elimination on that block's own attention probabilities,
/// then <c>x = x + drop_path(mlp(norm2(x)))</c> on the surviving tokens only. A block eliminates only when its own
/// ratio is below 1 and the per-call rate is absent or below 1; a per-call rate overrides the block's ratio
/// (training's keep-rate schedule). With ratio 1 the block is the plain ViT <c>Block</c> (same parameter names).
/// </summary>
public sealed class CandidateEliminationBlock : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly LayerNorm norm1;
    private readonly Attention attn;
    private readonly Module<Tensor, Tensor> drop_path;
    private readonly LayerNorm norm2;
    private readonly Mlp mlp;
#pragma warning restore IDE1006

    public CandidateEliminationBlock(int dim, int numHeads, double mlpRatio, double dropPathRate, double keepRatioSearch)
        : base(nameof(CandidateEliminationBlock))
    {
        norm1 = LayerNorm(dim, eps: 1e-6);
        attn = new Attention(dim, numHeads);
        drop_path = dropPathRate > 0 ? new DropPath(dropPathRate) : Identity();
        norm2 = LayerNorm(dim, eps: 1e-6);
        mlp = new Mlp(dim, (int)(dim * mlpRatio));
        KeepRatioSearch = keepRatioSearch;
        RegisterComponents();
    }

    /// <summary>This block's own keep ratio (<c>CE_KEEP_RATIO</c> entry; 1 = no elimination).</summary>
    public double KeepRatioSearch { get; }

    /// <summary>The stochastic-depth module, or null when this block has none (rate 0, block 0).</summary>
    public DropPath? DropPath => drop_path as DropPath;

    /// <summary>True when a call with <paramref name="ceKeepRate"/> eliminates (reference condition).</summary>
    public bool Eliminates(double? ceKeepRate) => KeepRatioSearch < 1 && (ceKeepRate is null || ceKeepRate < 1);

    /// <summary>Plain transformer-block forward without elimination.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (a, _) = attn.Forward(norm1.forward(x), returnProbabilities: false);
        var y = x + drop_path.forward(a);
        return (y + drop_path.forward(mlp.forward(norm2.forward(y)))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The CE forward. <paramref name="templateTokens"/> = Lt; <paramref name="globalIndexSearch"/> float32 [B, Ls];
    /// <paramref name="templateMask"/> bool [B, Lt] or null; <paramref name="ceKeepRate"/> null = use this block's ratio.
    /// </summary>
    public CandidateEliminationBlockOutput Forward(Tensor x, int templateTokens, Tensor globalIndexSearch, Tensor? templateMask,
        double? ceKeepRate, bool returnAttention = false)
    {
        using var scope = NewDisposeScope();
        bool eliminate = Eliminates(ceKeepRate);
        var (a, probabilities) = attn.Forward(norm1.forward(x), returnProbabilities: eliminate || returnAttention);
        var y = x + drop_path.forward(a);
        Tensor index = globalIndexSearch;
        Tensor? removed = null;
        if (eliminate)
        {
            var ce = CandidateElimination.Apply(probabilities!, y, templateTokens, ceKeepRate ?? KeepRatioSearch,
                globalIndexSearch, templateMask);
            y = ce.Tokens;
            index = ce.KeptIndex;
            removed = ce.RemovedIndex;
        }
        var output = y + drop_path.forward(mlp.forward(norm2.forward(y)));
        return new CandidateEliminationBlockOutput(
            output.MoveToOuterDisposeScope(),
            (ReferenceEquals(index, globalIndexSearch) ? globalIndexSearch.alias() : index).MoveToOuterDisposeScope(),
            removed?.MoveToOuterDisposeScope(),
            returnAttention ? probabilities!.MoveToOuterDisposeScope() : null);
    }
}
