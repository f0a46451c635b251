namespace TrackSharp.Evaluation.Pysot;

/// <summary>
/// The threshold grids of pysot's <c>OPEBenchmark</c>, as the exact doubles numpy produces.
/// <c>np.arange(0, 1.05, 0.05)</c> yields <c>i * 0.05</c> (so 0.15000000000000002, not 0.15); <c>i / 20.0</c>
/// would give different doubles and change ties such as IoU exactly 0.15.
/// </summary>
public static class PysotThresholds
{
    /// <summary><c>np.arange(0, 1.05, 0.05)</c>: 21 IoU thresholds, success when <c>IoU &gt; t</c>.</summary>
    public static IReadOnlyList<double> Success { get; } = Enumerable.Range(0, 21).Select(i => i * 0.05).ToArray();

    /// <summary><c>np.arange(0, 51, 1)</c>: 51 pixel thresholds, success when <c>d &lt;= t</c>; score at index 20.</summary>
    public static IReadOnlyList<double> Precision { get; } = Enumerable.Range(0, 51).Select(i => (double)i).ToArray();

    /// <summary><c>np.arange(0, 51, 1) / 100</c>: 51 normalised thresholds; score at index 20 (0.20).</summary>
    public static IReadOnlyList<double> NormPrecision { get; } = Enumerable.Range(0, 51).Select(i => i / 100.0).ToArray();

    /// <summary>Index of the reported precision / normalised precision score (20 px, 0.20).</summary>
    public const int ScoreIndex = 20;
}
