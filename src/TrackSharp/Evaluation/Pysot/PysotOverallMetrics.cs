namespace TrackSharp.Evaluation.Pysot;

/// <summary>
/// The dataset numbers of <c>OPEBenchmark.show_result</c>: every sequence weighs the same. <see cref="Auc"/> is
/// <c>np.mean</c> over all sequences' success values together; the curves are <c>np.mean(..., axis=0)</c>;
/// precision and normalised precision are the mean curves at index 20.
/// </summary>
public sealed record PysotOverallMetrics(
    IReadOnlyList<string> Sequences,
    double Auc,
    IReadOnlyList<double> SuccessCurve,
    IReadOnlyList<double> PrecisionCurve,
    IReadOnlyList<double> NormPrecisionCurve)
{
    public double Precision => PrecisionCurve[PysotThresholds.ScoreIndex];
    public double NormPrecision => NormPrecisionCurve[PysotThresholds.ScoreIndex];
}
