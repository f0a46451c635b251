namespace TrackSharp.Evaluation.Got10k;

/// <summary>
/// Per-sequence numbers of <c>ExperimentGOT10k.report</c> (<c>seq_wise</c>): AO and SR over the kept frames of all
/// repetitions of this sequence, speed in frames per second (-1 without usable times), and <c>length</c> = N - 1.
/// </summary>
public sealed record Got10kSequenceScore(string Name, double AverageOverlap, double SuccessRate, double SpeedFps, int Length);

/// <summary>
/// Overall numbers of <c>ExperimentGOT10k.report</c>: AO, SR (IoU &gt; 0.5) and the 101-point success curve over the
/// frames of all sequences and repetitions pooled, and speed = mean(1/t) over all pooled frame times.
/// </summary>
public sealed record Got10kValResult(
    double AverageOverlap,
    double SuccessRate,
    double SpeedFps,
    IReadOnlyList<double> SuccessCurve,
    IReadOnlyList<Got10kSequenceScore> Sequences)
{
    /// <summary>SR at 0.5 read from the curve (<c>succ_curve[50]</c>; equals <see cref="SuccessRate"/>).</summary>
    public double SuccessRate50 => SuccessCurve[50];

    /// <summary>SR at 0.75 (<c>succ_curve[75]</c>, IoU &gt; 0.75): the toolkit does not print it, the server does.</summary>
    public double SuccessRate75 => SuccessCurve[75];
}
