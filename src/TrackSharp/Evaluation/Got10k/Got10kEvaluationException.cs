namespace TrackSharp.Evaluation.Got10k;

/// <summary>
/// Input the GOT-10k toolkit refuses (a result file whose shape differs from the ground truth, missing results, a
/// malformed annotation line). The message names the file (and line where there is one) and the toolkit function
/// whose refusal it mirrors, so a report never contains a number the toolkit would not have produced.
/// </summary>
public sealed class Got10kEvaluationException : Exception
{
    public Got10kEvaluationException(string message) : base(message) { }
    public Got10kEvaluationException(string message, Exception inner) : base(message, inner) { }
}
