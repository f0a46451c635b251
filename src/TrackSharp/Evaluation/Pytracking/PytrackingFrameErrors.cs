namespace TrackSharp.Evaluation.Pytracking;

/// <summary>
/// The four outputs of <c>calc_seq_err_robust</c>, one entry per GT frame: IoU (-1 on invalid frames), centre
/// error (+Inf on invalid frames, -1 for <c>uav</c>; +Inf on invisible LaSOT frames), normalised centre error
/// (-1 on invalid frames, +Inf on invisible LaSOT frames) and the validity mask.
/// </summary>
public sealed record PytrackingFrameErrors(
    IReadOnlyList<double> ErrOverlap,
    IReadOnlyList<double> ErrCenter,
    IReadOnlyList<double> ErrCenterNormalized,
    IReadOnlyList<bool> Valid);
