namespace TrackSharp.Detection.Evaluation;

/// <summary>
/// pycocotools' <c>Params</c> for bbox evaluation (<c>setDetParams</c>). The thresholds are built exactly as
/// <c>np.linspace</c> builds them (<c>i * step + start</c>, last value set to <c>stop</c>): the 0.90 IoU threshold is
/// then one ulp below 0.9 and ten recall thresholds are one ulp above k/100, which changes matches and the precision
/// lookup at exact boundaries. Never rebuild them as <c>0.5 + 0.05 * i</c> or <c>i / 100.0</c>.
/// </summary>
public sealed class CocoEvalParams
{
    /// <summary>The 10 IoU thresholds 0.50:0.05:0.95 (<c>np.linspace(.5, .95, 10)</c>).</summary>
    public IReadOnlyList<double> IouThresholds { get; init; } = Linspace(0.5, 0.95, 10);

    /// <summary>The 101 recall thresholds 0:0.01:1 (<c>np.linspace(0, 1, 101)</c>).</summary>
    public IReadOnlyList<double> RecallThresholds { get; init; } = Linspace(0.0, 1.0, 101);

    /// <summary>Detections kept per image and category: 1, 10, 100 (the last one is also used for matching).</summary>
    public IReadOnlyList<int> MaxDetections { get; init; } = [1, 10, 100];

    /// <summary>all, small (up to 32²), medium (32² to 96²), large: closed ranges on the annotation's area.</summary>
    public IReadOnlyList<CocoAreaRange> AreaRanges { get; init; } =
    [
        new("all", 0, 1e10), new("small", 0, 32 * 32), new("medium", 32 * 32, 96 * 96), new("large", 96 * 96, 1e10),
    ];

    /// <summary>The default parameters (what <c>COCOeval(gt, dt, 'bbox')</c> uses).</summary>
    public static CocoEvalParams Default { get; } = new();

    /// <summary><c>np.linspace(start, stop, num)</c> with the endpoint, to the last bit.</summary>
    public static double[] Linspace(double start, double stop, int num)
    {
        if (num < 1) return [];
        var y = new double[num];
        if (num == 1) { y[0] = start; return y; }
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) y[i] = i * step + start;
        y[num - 1] = stop;
        return y;
    }
}
