namespace TrackSharp.Evaluation.Report;

/// <summary>
/// One attribute of the benchmark (OTB's 11, LaSOT's 14): the sequences that have it and every tracker's scores over
/// those of them it was evaluated on. As pysot and pytracking compute attribute subsets, the curves are the mean of
/// the per-sequence curves (each sequence weighs the same), the AUC the mean of the success curve and the
/// precision the precision curve at 20 px.
/// </summary>
public sealed record AttributeReport(
    string Code,
    string Name,
    IReadOnlyList<string> Sequences,
    IReadOnlyList<AttributeTrackerScores> Trackers);

/// <summary>One tracker on one attribute subset; <see cref="SequencesEvaluated"/> of the subset's sequences counted.</summary>
public sealed record AttributeTrackerScores(
    string Tracker,
    int SequencesEvaluated,
    double Auc,
    double? Precision,
    IReadOnlyList<double> SuccessCurve,
    IReadOnlyList<double>? PrecisionCurve);
