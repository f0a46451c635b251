namespace TrackSharp.Evaluation.Pytracking;

/// <summary>
/// The dataset scores of <c>plot_results.print_results</c> (<c>get_auc_curve</c>, <c>get_prec_curve</c>), all
/// float32 and in percent: curves = mean over sequences × 100, AUC = mean of the success curve, OP50/OP75 and
/// the precisions = curve entries.
/// </summary>
public sealed record PytrackingOverall(
    IReadOnlyList<string> Sequences,
    IReadOnlyList<float> SuccessCurve,
    IReadOnlyList<float> PrecisionCurve,
    IReadOnlyList<float> NormPrecisionCurve)
{
    public float Auc => TorchFloat32.MeanContiguous(SuccessCurve);
    public float Op50 => SuccessCurve[PytrackingThresholds.Op50Index];
    public float Op75 => SuccessCurve[PytrackingThresholds.Op75Index];
    public float Precision => PrecisionCurve[PytrackingThresholds.ScoreIndex];
    public float NormPrecision => NormPrecisionCurve[PytrackingThresholds.ScoreIndex];

    /// <summary>Averages the given sequences (each weighs the same), as over <c>valid_sequence</c>.</summary>
    public static PytrackingOverall Compute(IReadOnlyList<PytrackingSequenceCurves> sequences)
    {
        if (sequences.Count == 0) throw new ArgumentException("no sequences to average", nameof(sequences));
        return new PytrackingOverall(
            sequences.Select(s => s.Name).ToArray(),
            Percent(sequences.Select(s => s.SuccessCurve.ToArray()).ToArray()),
            Percent(sequences.Select(s => s.PrecisionCurve.ToArray()).ToArray()),
            Percent(sequences.Select(s => s.NormPrecisionCurve.ToArray()).ToArray()));
    }

    private static float[] Percent(float[][] rows) => TorchFloat32.MeanOverRows(rows).Select(v => v * 100f).ToArray();
}
