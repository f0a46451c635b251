namespace TrackSharp.Evaluation.Vot;

/// <summary>
/// The sequence-length interval [Low, High] (1-based, inclusive) over which EAO averages the expected-overlap curve,
/// and its peak. pysot's <c>EAOBenchmark.__init__</c> fixes these per dataset instead of re-fitting the GMM.
/// </summary>
public sealed record EaoWindow(string Dataset, int Low, int High, int Peak)
{
    public static EaoWindow Vot2016 { get; } = new("VOT2016", 108, 371, 168);
    public static EaoWindow Vot2017 { get; } = new("VOT2017", 100, 356, 160);
    public static EaoWindow Vot2018 { get; } = new("VOT2018", 100, 356, 160);
    public static EaoWindow Vot2019 { get; } = new("VOT2019", 46, 291, 128);
    public static EaoWindow Vot2020 { get; } = new("VOT2020", 46, 291, 128);

    /// <summary>The window pysot uses for a dataset name (VOT2016 ... VOT2020).</summary>
    public static EaoWindow ForDataset(string name) => name switch
    {
        "VOT2016" => Vot2016,
        "VOT2017" => Vot2017,
        "VOT2018" => Vot2018,
        "VOT2019" => Vot2019,
        "VOT2020" => Vot2020,
        _ => throw new ArgumentException($"pysot has no EAO window for dataset '{name}' (VOT2016 to VOT2020).", nameof(name)),
    };
}
