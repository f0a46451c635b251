namespace TrackSharp.Evaluation.TrackingNet;

/// <summary>
/// What <c>evaluate</c> returns for a set of sequences: coverage, success, precision and normalised precision in
/// percent (the last three are <c>100 * np.trapz(curve, x=linspace(0, 1, 21))</c>, areas rather than values at one
/// threshold) and the curves (fractions 0..1, averaged over sequences) they integrate.
/// </summary>
public sealed record TrackingNetScores(
    double Coverage,
    double Success,
    double Precision,
    double NormalizedPrecision,
    IReadOnlyList<double> SuccessCurve,
    IReadOnlyList<double> PrecisionCurve,
    IReadOnlyList<double> NormalizedPrecisionCurve);

/// <summary>
/// The devkit's numbers for the whole GT zip (<see cref="Overall"/>) and, per GT file, the numbers the devkit gives
/// for a GT zip holding only that file (<see cref="Sequences"/>, keyed by the file name without ".txt").
/// </summary>
public sealed record TrackingNetResult(TrackingNetScores Overall, IReadOnlyDictionary<string, TrackingNetScores> Sequences);
