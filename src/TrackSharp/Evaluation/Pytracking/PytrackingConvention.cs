namespace TrackSharp.Evaluation.Pytracking;

/// <summary>
/// Which copy of the pytracking analysis code to mirror. They differ in one line of <c>calc_seq_err_robust</c>,
/// the ground-truth validity rule, and that changes AUC and normalised precision on the same inputs.
/// </summary>
public enum PytrackingConvention
{
    /// <summary>visionml/pytracking @7eb9e74: a GT frame is valid only when all of x, y, w, h are &gt; 0
    /// (<c>(anno_bb &gt; 0).sum(1) == 4</c>), so a GT touching the left or top border is invalid.</summary>
    Pytracking,

    /// <summary>botaoye/OSTrack (and STARK) <c>lib/test/analysis</c>: valid when w &gt; 0 and h &gt; 0
    /// (<c>(anno_bb[:, 2:] &gt; 0).sum(1) == 2</c>).</summary>
    OSTrack,
}
