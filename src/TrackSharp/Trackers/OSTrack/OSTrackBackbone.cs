using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// What the backbone returns: <see cref="Tokens"/> [B, Lz + Lx, C] after the final norm (template tokens, then the
/// search tokens back in their original row-major order; eliminated ones are exactly 0), the removed search indices of
/// each CE location (float32 [B, n], descending attention; null where that block removed nothing) and the final global
/// index of the surviving search tokens (float32 [B, Lx'], in the CE order).
/// </summary>
public sealed record OSTrackBackboneOutput(Tensor Tokens, IReadOnlyList<Tensor?> RemovedIndexes, Tensor KeptIndex) : IDisposable
{
    public void Dispose()
    {
        Tokens.Dispose();
        KeptIndex.Dispose();
        foreach (var t in RemovedIndexes) t?.Dispose();
    }
}

/// <summary>
/// OSTrack's one-stream ViT (<c>VisionTransformerCE</c> of <c>vit_ce.py</c>, or the plain <c>VisionTransformer</c> of
/// <c>vit.py</c> when no block eliminates), after <c>finetune_track</c>. Parameter names are OSTrack's:
/// <c>cls_token</c> and <c>pos_embed</c> (the 224/16 pretrained table; kept, unused by the forward pass),
/// <c>pos_embed_z</c> / <c>pos_embed_x</c> (template / search grids), <c>patch_embed.proj</c> (shared),
/// <c>blocks.{i}</c>, <c>norm</c>.
/// <para>
/// Forward: patch-embed both images, add their position tables, concatenate [template, search] (no cls token), run the
/// blocks (CE blocks drop search tokens and re-order the survivors by score), final LayerNorm (eps 1e-6), then scatter
/// the search tokens back to their original positions with zero padding for the eliminated ones.
/// </para>
/// </summary>
public sealed class OSTrackBackbone : nn.Module
{
#pragma warning disable IDE1006
    private readonly Parameter cls_token;
    private readonly Parameter pos_embed;
    private readonly Parameter pos_embed_z;
    private readonly Parameter pos_embed_x;
    private readonly PatchEmbed patch_embed;
    private readonly ModuleList<CandidateEliminationBlock> blocks;
    private readonly LayerNorm norm;
#pragma warning restore IDE1006
    private readonly int[] _ceLoc;

    public OSTrackBackbone(OSTrackModelConfig config) : base(nameof(OSTrackBackbone))
    {
        config.Validate();
        Config = config;
        int c = config.EmbedDim;
        int pretrainGrid = OSTrackModelConfig.PretrainImageSize / OSTrackModelConfig.PretrainPatchSize;
        cls_token = new Parameter(zeros(1, 1, c));
        pos_embed = new Parameter(zeros(1, 1 + pretrainGrid * pretrainGrid, c));
        pos_embed_z = new Parameter(zeros(1, config.TemplateTokens, c));
        pos_embed_x = new Parameter(zeros(1, config.SearchTokens, c));
        patch_embed = new PatchEmbed(config.Stride, c);

        // Stochastic depth grows linearly over the blocks: torch.linspace(0, rate, depth) in float32.
        using var dpr = linspace(0, config.DropPathRate, config.Depth, ScalarType.Float32);
        var list = new List<CandidateEliminationBlock>();
        for (int i = 0; i < config.Depth; i++)
            list.Add(new CandidateEliminationBlock(c, config.NumHeads, config.MlpRatio, dpr[i].item<float>(),
                config.KeepRatioOfBlock(i)));
        blocks = new ModuleList<CandidateEliminationBlock>(list.ToArray());
        norm = LayerNorm(c, eps: 1e-6);
        _ceLoc = config.UsesCandidateElimination ? config.CeLoc.ToArray() : [];
        RegisterComponents();
        InitialiseWeights();
    }

    public OSTrackModelConfig Config { get; }

    public int TemplateTokens => Config.TemplateTokens;
    public int SearchTokens => Config.SearchTokens;

    /// <summary>The blocks (<c>blocks</c>), e.g. to reach their drop-path modules.</summary>
    public IReadOnlyList<CandidateEliminationBlock> Blocks => blocks.ToList();

    /// <summary>
    /// Replaces <c>pos_embed_z</c> and <c>pos_embed_x</c> by the bicubic resize of the current <c>pos_embed</c>
    /// (OSTrack's <c>finetune_track</c>; done after loading pretrained ViT weights and at construction).
    /// </summary>
    public void DerivePositionGridsFromPretrainedTable()
    {
        int grid = OSTrackModelConfig.PretrainImageSize / OSTrackModelConfig.PretrainPatchSize;
        using var noGrad = no_grad();
        using var z = PositionEmbedding.Interpolate(pos_embed, 1, grid, grid, Config.TemplateFeatSize, Config.TemplateFeatSize);
        using var x = PositionEmbedding.Interpolate(pos_embed, 1, grid, grid, Config.SearchFeatSize, Config.SearchFeatSize);
        pos_embed_z.copy_(z);
        pos_embed_x.copy_(x);
    }

    /// <summary>
    /// The backbone forward (<c>VisionTransformerCE.forward_features</c>).
    /// </summary>
    /// <param name="template">Normalised template crops [B, 3, Hz, Wz].</param>
    /// <param name="search">Normalised search crops [B, 3, Hx, Wx].</param>
    /// <param name="ceTemplateMask">Bool [B, Lz] (<see cref="CeTemplateMask"/>), or null to average all template rows.</param>
    /// <param name="ceKeepRate">Null: each CE block uses its own ratio (tracking). A value overrides every CE block
    /// (training's schedule); 1 (or more) disables elimination.</param>
    /// <param name="probe">Optional observer of intermediate tensors (for parity checks and debugging), called with
    /// names <c>patch_embed_template</c>, <c>patch_embed_search</c>, <c>block0_in</c>, <c>block{i}_attn</c>,
    /// <c>block{i}_out</c>, <c>block{i}_global_index_s</c>. The tensors are only valid during the call.</param>
    public OSTrackBackboneOutput Forward(Tensor template, Tensor search, Tensor? ceTemplateMask = null, double? ceKeepRate = null,
        Action<string, Tensor>? probe = null)
    {
        using var scope = NewDisposeScope();
        long b = search.shape[0];
        var x = patch_embed.forward(search);
        var z = patch_embed.forward(template);
        probe?.Invoke("patch_embed_template", z);
        probe?.Invoke("patch_embed_search", x);
        var tokens = cat([z.add_(pos_embed_z), x.add_(pos_embed_x)], 1);
        probe?.Invoke("block0_in", tokens);

        int lensZ = TemplateTokens, lensX = SearchTokens;
        var globalIndexS = arange(lensX, ScalarType.Float32, search.device).unsqueeze(0).repeat(b, 1);
        var removed = new List<Tensor?>();
        for (int i = 0; i < blocks.Count; i++)
        {
            var o = blocks[i].Forward(tokens, lensZ, globalIndexS, ceTemplateMask, ceKeepRate, returnAttention: probe is not null);
            tokens = o.Tokens;
            globalIndexS = o.GlobalIndexSearch;
            if (Array.IndexOf(_ceLoc, i) >= 0) removed.Add(o.RemovedIndex);
            if (probe is not null)
            {
                probe($"block{i}_attn", o.Attention!);
                probe($"block{i}_out", tokens);
                probe($"block{i}_global_index_s", globalIndexS);
            }
        }

        tokens = norm.forward(tokens);
        var zOut = tokens[.., ..lensZ];
        var xOut = tokens[.., lensZ..];
        if (removed.Count > 0 && removed[0] is not null)
        {
            // Zero-pad the eliminated positions, then scatter every token back to its original index.
            long c = xOut.shape[2];
            var present = removed.Where(r => r is not null).Select(r => r!).ToList();
            var pad = zeros([b, lensX - globalIndexS.shape[1], c], xOut.dtype, xOut.device);
            var padded = cat([xOut, pad], 1);
            var indexAll = cat([globalIndexS, .. present], 1).to(ScalarType.Int64).unsqueeze(-1).expand(b, -1, c);
            xOut = zeros_like(padded).scatter_(1, indexAll, padded);
        }
        var result = cat([zOut, xOut], 1);
        return new OSTrackBackboneOutput(result.MoveToOuterDisposeScope(),
            removed.Select(r => r?.MoveToOuterDisposeScope()).ToList(), globalIndexS.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// timm's ViT initialisation as OSTrack builds it from scratch: position table truncated-normal (std 0.02),
    /// cls token normal (std 1e-6), Linear weights truncated-normal (std 0.02) with zero bias, LayerNorm 1/0; then
    /// the template/search tables are derived from the position table.
    /// </summary>
    private void InitialiseWeights()
    {
        using var noGrad = no_grad();
        TruncatedNormal.Fill(pos_embed, std: 0.02);
        init.normal_(cls_token, std: 1e-6);
        foreach (var (name, p) in named_parameters())
        {
            if (name.StartsWith("blocks.", StringComparison.Ordinal) && p.dim() == 2)
                TruncatedNormal.Fill(p, std: 0.02);
            else if (name.StartsWith("blocks.", StringComparison.Ordinal) && p.dim() == 1 && !name.Contains("norm"))
                p.zero_();
        }
        DerivePositionGridsFromPretrainedTable();
    }
}
