namespace TrackSharp.Evaluation.Got10k;

/// <summary>
/// The threshold grids of the GOT-10k toolkit as the exact doubles numpy produces. <c>np.linspace(0, 1, n)</c> is
/// <c>i * step</c> with <c>step = 1 / (n - 1)</c>, so <c>i * 0.05</c> (not <c>i / 20.0</c>) reproduces its 21 values,
/// e.g. 0.15000000000000002 (README section 4).
/// </summary>
public static class Got10kThresholds
{
    /// <summary><c>ExperimentGOT10k._evaluate</c>: <c>np.linspace(0, 1, 101)</c>, tested with <c>IoU &gt; t</c>.</summary>
    public static IReadOnlyList<double> Got10kSuccess { get; } = Grid(101, 0.01);

    /// <summary><c>ExperimentOTB._calc_curves</c>: <c>np.linspace(0, 1, 21)</c>, tested with <c>IoU &gt; t</c>.</summary>
    public static IReadOnlyList<double> OpeSuccess { get; } = Grid(21, 0.05);

    /// <summary><c>ExperimentOTB._calc_curves</c>: <c>np.arange(0, 51)</c> pixels, tested with <c>error &lt;= t</c>.</summary>
    public static IReadOnlyList<double> OpePrecision { get; } = Grid(51, 1.0);

    /// <summary><c>ExperimentLaSOT._calc_curves</c>: <c>np.linspace(0, 0.5, 51)</c>, tested with <c>error &lt;= t</c>.</summary>
    public static IReadOnlyList<double> LasotNormalizedPrecision { get; } = Grid(51, 0.01);

    private static double[] Grid(int count, double step)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = i * step;
        return values;
    }
}
