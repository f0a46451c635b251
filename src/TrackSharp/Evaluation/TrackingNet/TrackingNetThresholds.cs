namespace TrackSharp.Evaluation.TrackingNet;

/// <summary>
/// The 21-point grids of the TrackingNet devkit (<c>metrics.py evaluate</c>) as numpy's exact doubles:
/// <c>np.linspace(0, 1, 21)</c> = <c>i * 0.05</c>, <c>np.linspace(0, 50, 21)</c> = <c>i * 2.5</c>,
/// <c>np.linspace(0, 0.5, 21)</c> = <c>i * 0.025</c>. The success grid is also the x axis of every <c>np.trapz</c>.
/// </summary>
public static class TrackingNetThresholds
{
    public const int Count = 21;

    /// <summary>IoU thresholds, tested with <c>IoU &gt;= t</c> (not <c>&gt;</c>).</summary>
    public static IReadOnlyList<double> Success { get; } = Grid(0.05);

    /// <summary>Centre distance thresholds in pixels (2.5 px steps), tested with <c>&lt;=</c>.</summary>
    public static IReadOnlyList<double> Precision { get; } = Grid(2.5);

    /// <summary>Normalised distance thresholds, tested with <c>&lt;=</c>.</summary>
    public static IReadOnlyList<double> NormalizedPrecision { get; } = Grid(0.025);

    private static double[] Grid(double step)
    {
        var v = new double[Count];
        for (int i = 0; i < Count; i++) v[i] = i * step;
        return v;
    }
}
