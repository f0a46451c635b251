namespace TrackSharp.Evaluation.Report;

/// <summary>What happened to one tracker on one sequence.</summary>
public enum SequenceStatus
{
    /// <summary>Evaluated (possibly with warnings, e.g. a truncated result the convention accepts).</summary>
    Ok,
    /// <summary>No result file for the sequence.</summary>
    Missing,
    /// <summary>A result file exists but the convention cannot evaluate it (unreadable, wrong length, NaN ...).</summary>
    Error,
}

/// <summary>
/// Scores of one sequence or of the whole dataset, every value a fraction in [0, 1] (pytracking's percent values
/// are divided by 100). <see cref="Auc"/> is the success score of the convention (mean of the 21-point success
/// curve; for GOT-10k val the average overlap AO). <see cref="Precision"/> is precision at 20 px and
/// <see cref="NormPrecision"/> the convention's normalised precision (value at 0.20; got10k LaSOT: mean of its
/// 51-point curve); both null where the convention defines none. <see cref="SuccessRate50"/> and
/// <see cref="SuccessRate75"/> are the success curve at IoU thresholds 0.5 and 0.75 (GOT-10k SR0.5/SR0.75,
/// pytracking OP50/OP75). <see cref="Fps"/>: frames per second from the time files, null without them.
/// </summary>
public sealed record ReportScores(
    double Auc,
    double? Precision,
    double? NormPrecision,
    double SuccessRate50,
    double SuccessRate75,
    IReadOnlyList<double> SuccessCurve,
    IReadOnlyList<double>? PrecisionCurve,
    IReadOnlyList<double>? NormPrecisionCurve,
    double? Fps);

/// <summary>One tracker on one sequence: status, the result file (expected path when missing), the scores when
/// evaluated, and the warnings about it.</summary>
public sealed record SequenceReport(
    string Sequence,
    SequenceStatus Status,
    string ResultFile,
    int GroundTruthFrames,
    int? ResultRows,
    ReportScores? Scores,
    IReadOnlyList<string> Warnings);

/// <summary>One tracker: overall scores over the sequences it could be evaluated on (each weighs the same, or
/// frames pooled for GOT-10k val), and one entry per dataset sequence.</summary>
public sealed record TrackerReport(
    string Name,
    string Folder,
    int SequencesEvaluated,
    int SequencesTotal,
    ReportScores? Overall,
    IReadOnlyList<SequenceReport> Sequences);

/// <summary>The threshold grids of the convention (exact doubles); null where the convention has no such curve.</summary>
public sealed record ReportThresholds(
    IReadOnlyList<double> Success,
    IReadOnlyList<double>? Precision,
    IReadOnlyList<double>? NormPrecision);

/// <summary>A problem found while building the report: the file at fault (when there is one) and what is wrong.</summary>
public sealed record ReportWarning(string? File, string Message)
{
    public override string ToString() => File is null ? Message : $"{File}: {Message}";
}

/// <summary>Everything a report shows: the setting, every tracker with per-sequence numbers, the warnings, and the
/// per-attribute scores where the benchmark has attributes (OTB, LaSOT with its attribute files; else empty or null).</summary>
public sealed record EvaluationReport(
    string Dataset,
    string DatasetPath,
    string Convention,
    string ConventionNotes,
    ReportThresholds Thresholds,
    IReadOnlyList<string> Sequences,
    IReadOnlyList<TrackerReport> Trackers,
    IReadOnlyList<ReportWarning> Warnings,
    IReadOnlyList<AttributeReport>? Attributes = null)
{
    /// <summary>True when at least one tracker was evaluated on at least one sequence.</summary>
    public bool AnythingEvaluated => Trackers.Any(t => t.Overall is not null);
}
