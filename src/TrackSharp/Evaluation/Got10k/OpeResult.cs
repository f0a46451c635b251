namespace TrackSharp.Evaluation.Got10k;

/// <summary>
/// Per-frame errors of one sequence after <c>ExperimentOTB.report</c>'s preprocessing (row 0 replaced by the GT,
/// truncation to the shorter length, and for UAV123/LaSOT NaN-GT rows dropped). <see cref="FrameIndex"/> holds the
/// original 0-based frame of each entry; <see cref="NormalizedCenterError"/> is null except for LaSOT.
/// </summary>
public sealed record OpeFrameErrors(
    IReadOnlyList<int> FrameIndex,
    IReadOnlyList<double> Iou,
    IReadOnlyList<double> CenterError,
    IReadOnlyList<double>? NormalizedCenterError);

/// <summary>
/// The curves and scores <c>ExperimentOTB.report</c> stores per sequence and overall: success curve (21 points,
/// IoU &gt; t), precision curve (51 points, error &lt;= t px), success score = mean of the success curve, precision
/// score = precision at 20 px, success rate = success at 0.5, speed (fps, -1 when unknown); LaSOT adds the
/// normalised precision curve (51 points) and its score = the mean of those 51 values.
/// </summary>
public sealed record OpeScores(
    IReadOnlyList<double> SuccessCurve,
    IReadOnlyList<double> PrecisionCurve,
    IReadOnlyList<double>? NormalizedPrecisionCurve,
    double SpeedFps)
{
    public double SuccessScore => NumpyReductions.Mean(SuccessCurve.ToArray());
    public double PrecisionScore => PrecisionCurve[20];
    public double SuccessRate => SuccessCurve[SuccessCurve.Count / 2];
    public double? NormalizedPrecisionScore =>
        NormalizedPrecisionCurve is null ? null : NumpyReductions.Mean(NormalizedPrecisionCurve.ToArray());
}

/// <summary>One tracker's report: overall scores (curves averaged over sequences) and the per-sequence scores.</summary>
public sealed record OpeResult(OpeScores Overall, IReadOnlyDictionary<string, OpeScores> Sequences);
