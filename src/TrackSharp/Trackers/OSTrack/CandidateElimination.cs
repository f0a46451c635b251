using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>The tokens a CE block passes on: [template tokens, kept search tokens in descending-score order], the
/// kept and the removed global search indices (float32 [B, n], descending score; null removed = nothing eliminated).</summary>
public sealed record CandidateEliminationResult(Tensor Tokens, Tensor KeptIndex, Tensor? RemovedIndex);

/// <summary>
/// OSTrack's <c>candidate_elimination</c> (<c>lib/models/layers/attn_blocks.py</c>): scores every search token by the
/// attention the template gives it, keeps the <c>ceil(keep_ratio · L_s)</c> best, drops the rest.
/// </summary>
public static class CandidateElimination
{
    /// <summary>
    /// How many of <paramref name="searchTokens"/> are kept: <c>math.ceil(keep_ratio * lens_s)</c> in float64
    /// (float32 gives 16 instead of 15 for 0.6 × 25).
    /// </summary>
    public static int KeptCount(double keepRatio, int searchTokens) => (int)Math.Ceiling(keepRatio * searchTokens);

    /// <summary>
    /// Eliminates search candidates.
    /// </summary>
    /// <param name="attention">Attention probabilities of the block, [B, heads, Lt + Ls, Lt + Ls].</param>
    /// <param name="tokens">Block tokens after the attention residual, [B, Lt + Ls, C] (template first).</param>
    /// <param name="templateTokens">Lt.</param>
    /// <param name="keepRatio">Fraction of the incoming search tokens to keep.</param>
    /// <param name="globalIndex">Original (0..255) index of each incoming search token, float32 [B, Ls].</param>
    /// <param name="templateMask">Bool [B, Lt] template rows to average (same count per sample), or null for all rows.</param>
    /// <returns>When the kept count equals Ls: the inputs unchanged (aliases) and a null removed index. Otherwise the
    /// kept search tokens re-ordered by descending score (a stable <c>torch.sort</c>), the kept and removed global indices
    /// in that order.</returns>
    public static CandidateEliminationResult Apply(Tensor attention, Tensor tokens, int templateTokens, double keepRatio,
        Tensor globalIndex, Tensor? templateMask)
    {
        long b = attention.shape[0], heads = attention.shape[1];
        int lensS = (int)attention.shape[^1] - templateTokens;
        int lensKeep = KeptCount(keepRatio, lensS);
        if (lensKeep == lensS)
            return new CandidateEliminationResult(tokens.alias(), globalIndex.alias(), null);

        using var scope = NewDisposeScope();
        var attnT = attention[.., .., ..templateTokens, templateTokens..];
        Tensor score;
        if (templateMask is not null)
        {
            // Selects the masked template rows (the reference's boolean indexing), then averages rows, then heads.
            var rowMask = templateMask.unsqueeze(1).unsqueeze(-1).expand(-1, heads, -1, lensS);
            score = attnT.masked_select(rowMask).view(b, heads, -1, lensS).mean([2]).mean([1]);
        }
        else
        {
            score = attnT.mean([2]).mean([1]);
        }
        var (_, order) = score.sort(dim: 1, descending: true, stable: false);
        var topIdx = order[.., ..lensKeep];
        var restIdx = order[.., lensKeep..];
        var keptIndex = globalIndex.gather(1, topIdx);
        var removedIndex = globalIndex.gather(1, restIdx);

        var templatePart = tokens[.., ..templateTokens];
        var searchPart = tokens[.., templateTokens..];
        long c = tokens.shape[2];
        var kept = searchPart.gather(1, topIdx.unsqueeze(-1).expand(b, -1, c));
        var newTokens = cat([templatePart, kept], 1);
        return new CandidateEliminationResult(newTokens.MoveToOuterDisposeScope(), keptIndex.MoveToOuterDisposeScope(),
            removedIndex.MoveToOuterDisposeScope());
    }
}
