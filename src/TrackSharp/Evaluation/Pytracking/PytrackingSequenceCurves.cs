namespace TrackSharp.Evaluation.Pytracking;

/// <summary>
/// One sequence's rows of <c>extract_results</c>: the three curves as float32 fractions
/// (<c>count.float() / seq_length</c>), and the average overlap over valid frames.
/// </summary>
public sealed record PytrackingSequenceCurves(
    string Name,
    double AvgOverlap,
    IReadOnlyList<float> SuccessCurve,
    IReadOnlyList<float> PrecisionCurve,
    IReadOnlyList<float> NormPrecisionCurve)
{
    /// <summary>The sequence's AUC in percent: float32 mean of its success curve, times 100.</summary>
    public float Auc => TorchFloat32.MeanContiguous(SuccessCurve) * 100f;

    /// <summary>Precision at 20 px (fraction).</summary>
    public float PrecisionAt20 => PrecisionCurve[PytrackingThresholds.ScoreIndex];

    /// <summary>Normalised precision at 0.20 (fraction).</summary>
    public float NormPrecisionAt020 => NormPrecisionCurve[PytrackingThresholds.ScoreIndex];

    /// <summary>
    /// The curves from per-frame errors. The denominator is the number of GT frames, or, with
    /// <paramref name="excludeInvalidFrames"/>, the number of valid ones (then normalised precision can exceed 1,
    /// because invalid frames still count as successes at -1).
    /// </summary>
    /// <exception cref="PytrackingEvaluationException">No frame to divide by ("Seq length zero").</exception>
    public static PytrackingSequenceCurves FromErrors(string name, PytrackingFrameErrors errors, bool excludeInvalidFrames)
    {
        int validCount = errors.Valid.Count(v => v);
        int seqLength = excludeInvalidFrames ? validCount : errors.Valid.Count;
        if (seqLength <= 0) throw new PytrackingEvaluationException(name, "Seq length zero");

        // err_overlap[valid].mean(): a float64 mean (NaN when no frame is valid, as torch gives).
        double sum = 0;
        for (int t = 0; t < errors.Valid.Count; t++)
            if (errors.Valid[t]) sum += errors.ErrOverlap[t];
        double avgOverlap = validCount == 0 ? double.NaN : sum / validCount;

        return new PytrackingSequenceCurves(name, avgOverlap,
            Curve(ThresholdCounts.Greater(AsSpan(errors.ErrOverlap), PytrackingThresholds.Overlap), seqLength),
            Curve(ThresholdCounts.AtMost(AsSpan(errors.ErrCenter), PytrackingThresholds.Center), seqLength),
            Curve(ThresholdCounts.AtMost(AsSpan(errors.ErrCenterNormalized), PytrackingThresholds.CenterNorm), seqLength));
    }

    private static float[] Curve(int[] counts, int seqLength)
    {
        var curve = new float[counts.Length];
        for (int i = 0; i < counts.Length; i++)
            curve[i] = (float)counts[i] / seqLength; // float32 quotient, as torch
        return curve;
    }

    private static ReadOnlySpan<double> AsSpan(IReadOnlyList<double> values) =>
        values is double[] array ? array : values.ToArray();
}
