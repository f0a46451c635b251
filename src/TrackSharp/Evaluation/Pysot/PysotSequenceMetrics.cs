namespace TrackSharp.Evaluation.Pysot;

/// <summary>
/// pysot's one-pass numbers for one sequence: the per-frame intermediates of the kept frames and the three curves
/// (fractions of all GT frames). <see cref="Auc"/> = mean of the success curve; <see cref="Precision"/> and
/// <see cref="NormPrecision"/> are the curve values at index 20 (as <c>show_result</c> uses them);
/// <see cref="VideoLevelPrecisionAsPrinted"/> is the mean of the 51 precision values that
/// <c>show_result(show_video_level=True)</c> prints instead.
/// </summary>
public sealed record PysotSequenceMetrics(
    string Name,
    IReadOnlyList<long> KeptFrameIndex,
    IReadOnlyList<double> FrameIou,
    IReadOnlyList<double> FrameCenterError,
    IReadOnlyList<double> FrameNormCenterError,
    IReadOnlyList<double> SuccessCurve,
    IReadOnlyList<double> PrecisionCurve,
    IReadOnlyList<double> NormPrecisionCurve)
{
    public double Auc => NumpyReductions.Mean(SuccessCurve.ToArray());
    public double Precision => PrecisionCurve[PysotThresholds.ScoreIndex];
    public double NormPrecision => NormPrecisionCurve[PysotThresholds.ScoreIndex];
    public double VideoLevelPrecisionAsPrinted => NumpyReductions.Mean(PrecisionCurve.ToArray());
}
