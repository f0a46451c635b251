namespace TrackSharp.Evaluation.Pysot;

/// <summary>
/// A sequence pysot refuses to evaluate (its toolkit raises an IndexError there, e.g. a result file with more or
/// fewer rows than the ground truth). Names the sequence and, where known, the result file.
/// </summary>
public sealed class PysotEvaluationException(string sequence, string message, Exception? inner = null)
    : Exception($"pysot: sequence '{sequence}': {message}", inner)
{
    public string Sequence { get; } = sequence;
}
