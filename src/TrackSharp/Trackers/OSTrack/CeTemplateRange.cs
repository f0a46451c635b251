namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// Which template tokens' attention rows score the search tokens in candidate elimination
/// (<c>MODEL.BACKBONE.CE_TEMPLATE_RANGE</c>; OSTrack's <c>generate_mask_cond</c>).
/// </summary>
public enum CeTemplateRange
{
    /// <summary><c>ALL</c>: no mask, every template row is averaged.</summary>
    All,

    /// <summary><c>CTR_POINT</c>: the single centre token of the template grid (row/col 3 of 8x8, 5 of 12x12).</summary>
    CtrPoint,

    /// <summary><c>CTR_REC</c>: a fixed centre square (rows/cols 3..4 of 8x8, 5..6 of 12x12).</summary>
    CtrRec,

    /// <summary><c>GT_BOX</c>: the ground-truth box downsampled to the token grid (training only; not supported yet).</summary>
    GtBox,
}
