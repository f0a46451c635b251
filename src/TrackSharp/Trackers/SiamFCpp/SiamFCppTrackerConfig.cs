using TrackSharp.Config;

namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>
/// Hyper-parameters of videoanalyst's <c>SiamFCppTracker</c> (the <c>pipeline.SiamFCppTracker</c> block of a
/// videoanalyst test config). Defaults are those of <c>experiments/siamfcpp/test/got10k/siamfcpp_alexnet-got.yaml</c>.
/// <see cref="ScoreSize"/> and <see cref="ScoreOffset"/> are derived from the sizes, as the reference's
/// <c>update_params</c> does (the values written in a config file are ignored there too).
/// </summary>
public sealed record SiamFCppTrackerConfig
{
    /// <summary><c>context_amount</c>: context added around the target, as a fraction of w + h.</summary>
    public double ContextAmount { get; init; } = 0.5;

    /// <summary><c>z_size</c>: template crop side (network input).</summary>
    public int ZSize { get; init; } = 127;

    /// <summary><c>x_size</c>: search crop side (network input).</summary>
    public int XSize { get; init; } = 303;

    /// <summary><c>num_conv3x3</c>: 3x3 convs per head tower (each trims the score map by 2).</summary>
    public int NumConv3x3 { get; init; } = 3;

    /// <summary><c>total_stride</c>: score-map stride in search-crop pixels.</summary>
    public int TotalStride { get; init; } = 8;

    /// <summary><c>penalty_k</c>: strength of the scale/aspect-ratio change penalty.</summary>
    public double PenaltyK { get; init; } = 0.04;

    /// <summary><c>window_influence</c>: weight of the cosine window in the final score.</summary>
    public double WindowInfluence { get; init; } = 0.21;

    /// <summary><c>windowing</c>: "cosine" (outer product of NumPy Hann windows) or "uniform" (all ones).</summary>
    public string Windowing { get; init; } = "cosine";

    /// <summary><c>test_lr</c>: size smoothing rate (multiplied by penalty * score of the chosen point).</summary>
    public double TestLr { get; init; } = 0.52;

    /// <summary><c>min_w</c>, <c>min_h</c>: smallest target size after clipping, in image pixels.</summary>
    public double MinW { get; init; } = 10;
    public double MinH { get; init; } = 10;

    /// <summary><c>score_size = (x_size - z_size) // total_stride + 1 - 2 * num_conv3x3</c> (17 by default).</summary>
    public int ScoreSize => FloorDiv(XSize - ZSize, TotalStride) + 1 - 2 * NumConv3x3;

    /// <summary><c>score_offset = (x_size - 1 - (score_size - 1) * total_stride) // 2</c> (87 by default).</summary>
    public int ScoreOffset => FloorDiv(XSize - 1 - (ScoreSize - 1) * TotalStride, 2);

    /// <summary>The published GOT-10k test settings (also the golden's).</summary>
    public static SiamFCppTrackerConfig Default { get; } = new();

    /// <summary>
    /// Reads <c>pipeline.&lt;trackerName&gt;</c> of a resolved videoanalyst config (e.g. the golden
    /// <c>config_test_track.yaml</c>); keys not present keep their defaults.
    /// </summary>
    public static SiamFCppTrackerConfig FromYaml(string path, string trackerName = "SiamFCppTracker")
    {
        var root = ConfigYaml.ParseFile(path);
        if (!root.TryGetChild("pipeline", out var pipeline) || !pipeline.TryGetChild(trackerName, out var node) || !node.IsMap)
            throw new ArgumentException($"'{path}': no mapping pipeline.{trackerName}");
        var c = new SiamFCppTrackerConfig();
        double D(string key, double fallback) =>
            node.TryGetChild(key, out var v) && v.Value is not null ? Convert.ToDouble(v.Value, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        int I(string key, int fallback) =>
            node.TryGetChild(key, out var v) && v.Value is long l ? checked((int)l) : fallback;
        c = c with
        {
            ContextAmount = D("context_amount", c.ContextAmount),
            ZSize = I("z_size", c.ZSize),
            XSize = I("x_size", c.XSize),
            NumConv3x3 = I("num_conv3x3", c.NumConv3x3),
            TotalStride = I("total_stride", c.TotalStride),
            PenaltyK = D("penalty_k", c.PenaltyK),
            WindowInfluence = D("window_influence", c.WindowInfluence),
            TestLr = D("test_lr", c.TestLr),
            MinW = D("min_w", c.MinW),
            MinH = D("min_h", c.MinH),
            Windowing = node.TryGetChild("windowing", out var w) && w.Value is string s ? s : c.Windowing,
        };
        try { c.Validate(); }
        catch (ArgumentException e) { throw new ArgumentException($"'{path}': pipeline.{trackerName}: {e.Message}", e); }
        return c;
    }

    /// <summary><c>pipeline.&lt;trackerName&gt;</c> of a loaded videoanalyst task config
    /// (<see cref="SiamFCppConfigReader.ReadTracker"/>; errors name the file, line and key).</summary>
    public static SiamFCppTrackerConfig FromConfig(ExperimentConfig config, string trackerName = "SiamFCppTracker") =>
        SiamFCppConfigReader.ReadTracker(config, trackerName);

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad key.</summary>
    public void Validate()
    {
        if (ZSize < 2 || XSize < ZSize) throw new ArgumentException($"z_size {ZSize} / x_size {XSize}: need 2 <= z_size <= x_size");
        if (TotalStride < 1) throw new ArgumentException($"total_stride must be >= 1, got {TotalStride}");
        if (ScoreSize < 1) throw new ArgumentException($"x_size {XSize}, z_size {ZSize}, total_stride {TotalStride}, num_conv3x3 {NumConv3x3} give score_size {ScoreSize}");
        if (Windowing is not ("cosine" or "uniform")) throw new ArgumentException($"windowing must be 'cosine' or 'uniform', got '{Windowing}'");
        if (!(ContextAmount >= 0)) throw new ArgumentException($"context_amount must be >= 0, got {ContextAmount}");
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor(a / (double)b);
}
