namespace TrackSharp.Evaluation.Pytracking;

/// <summary>
/// The threshold grids of pytracking's <c>extract_results</c>, as the exact doubles torch produces.
/// <c>torch.arange(0.0, 1.05, 0.05, dtype=torch.float64)</c> equals numpy's <c>i * 0.05</c> except at indices 13
/// and 15, where torch gives 0.6500000000000001 and 0.7500000000000001 (numpy 0.65 and 0.75); those two values are
/// taken from the golden json's <c>thresholds.overlap</c>.
/// </summary>
public static class PytrackingThresholds
{
    /// <summary>21 IoU thresholds; success when <c>IoU &gt; t</c>.</summary>
    public static IReadOnlyList<double> Overlap { get; } = Enumerable.Range(0, 21)
        .Select(i => i switch { 13 => 0.6500000000000001, 15 => 0.7500000000000001, _ => i * 0.05 })
        .ToArray();

    /// <summary><c>torch.arange(0, 51)</c> pixels; success when <c>d &lt;= t</c>.</summary>
    public static IReadOnlyList<double> Center { get; } = Enumerable.Range(0, 51).Select(i => (double)i).ToArray();

    /// <summary><c>torch.arange(0, 51) / 100.0</c>; success when <c>d &lt;= t</c>.</summary>
    public static IReadOnlyList<double> CenterNorm { get; } = Enumerable.Range(0, 51).Select(i => i / 100.0).ToArray();

    /// <summary>Index of precision@20 px and normalised precision@0.20.</summary>
    public const int ScoreIndex = 20;

    /// <summary>Index of OP50 (threshold exactly 0.5).</summary>
    public const int Op50Index = 10;

    /// <summary>Index of OP75 (threshold 0.7500000000000001, the torch value nearest 0.75).</summary>
    public const int Op75Index = 15;
}
