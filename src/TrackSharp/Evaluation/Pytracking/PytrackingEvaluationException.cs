namespace TrackSharp.Evaluation.Pytracking;

/// <summary>
/// A sequence pytracking/OSTrack refuses to evaluate (<c>calc_seq_err_robust</c> raises: NaN or negative size in
/// the result, NaN in the GT outside <c>uav</c>, a short LaSOT result). Names the sequence.
/// </summary>
public sealed class PytrackingEvaluationException(string sequence, string message)
    : Exception($"pytracking: sequence '{sequence}': {message}")
{
    public string Sequence { get; } = sequence;
}
