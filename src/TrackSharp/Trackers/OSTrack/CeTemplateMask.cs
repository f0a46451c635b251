using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// OSTrack's <c>generate_mask_cond</c> (<c>lib/utils/ce_utils.py</c>): the boolean template-token mask
/// [B, Lz] (row-major token order) whose attention rows score the search tokens in candidate elimination.
/// The tracker computes it once at initialisation and passes it on every frame.
/// </summary>
public static class CeTemplateMask
{
    /// <summary>
    /// The [start, end) row/column range OSTrack hard-codes for the centre mask of a
    /// <paramref name="featSize"/>-wide template grid, or null where upstream raises NotImplementedError.
    /// CTR_POINT: 8 → 3, 12 → 5, 7 → 3, 14 → 6; CTR_REC: 8 → 3..4, 12 → 5..6, 7 → 3.
    /// </summary>
    public static (int Start, int End)? CentreSlice(CeTemplateRange range, int featSize) => (range, featSize) switch
    {
        (CeTemplateRange.CtrPoint, 8) => (3, 4),
        (CeTemplateRange.CtrPoint, 12) => (5, 6),
        (CeTemplateRange.CtrPoint, 7) => (3, 4),
        (CeTemplateRange.CtrPoint, 14) => (6, 7),
        (CeTemplateRange.CtrRec, 8) => (3, 5),
        (CeTemplateRange.CtrRec, 12) => (5, 7),
        (CeTemplateRange.CtrRec, 7) => (3, 4),
        _ => null,
    };

    /// <summary>
    /// The mask for <paramref name="batch"/> samples: null for <see cref="CeTemplateRange.All"/> (every template row
    /// counts), else a [B, featSize²] bool tensor, True on the centre square.
    /// </summary>
    public static Tensor? Create(CeTemplateRange range, int batch, int featSize, Device? device = null)
    {
        if (range == CeTemplateRange.All) return null;
        var slice = CentreSlice(range, featSize)
            ?? throw new NotSupportedException(
                $"CE_TEMPLATE_RANGE {range} is not defined for a {featSize}x{featSize} template grid (OSTrack's generate_mask_cond)");
        var mask = new bool[featSize * featSize];
        for (int y = slice.Start; y < slice.End; y++)
            for (int x = slice.Start; x < slice.End; x++)
                mask[y * featSize + x] = true;
        using var row = tensor(mask, [1, featSize * featSize]);
        return row.repeat(batch, 1).to(device ?? CPU);
    }

    /// <summary>The mask of <paramref name="config"/> (its range and template grid) for <paramref name="batch"/> samples.</summary>
    public static Tensor? Create(OSTrackModelConfig config, int batch, Device? device = null) =>
        Create(config.CeTemplateRange, batch, config.TemplateFeatSize, device);
}
