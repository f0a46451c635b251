using TrackSharp.Config;

namespace TrackSharp.Trackers.SiamBAN;

/// <summary>
/// SiamBAN tracker hyper-parameters in the reference config's terms (section <c>TRACK</c>, <c>POINT.STRIDE</c>
/// and <c>BAN.KWARGS.cls_out_channels</c>). <see cref="R50L234"/> holds the values of
/// <c>experiments/siamban_r50_l234/config.yaml</c> (VOT2018 hyper-parameters).
/// </summary>
public sealed record SiamBanTrackerConfig
{
    public double PenaltyK { get; init; } = 0.08513642556896711;
    public double WindowInfluence { get; init; } = 0.4632532824922313;
    /// <summary>Size smoothing rate (TRACK.LR), scaled per frame by penalty x score.</summary>
    public double LearningRate { get; init; } = 0.44418184746462425;
    public int ExemplarSize { get; init; } = 127;
    public int InstanceSize { get; init; } = 255;
    /// <summary>TRACK.BASE_SIZE: added to the score-map side.</summary>
    public int BaseSize { get; init; } = 8;
    public double ContextAmount { get; init; } = 0.5;
    /// <summary>POINT.STRIDE: pixels of the search crop between neighbouring score-map cells.</summary>
    public int Stride { get; init; } = 8;
    /// <summary>2: softmax over (background, foreground) logits; 1: sigmoid of one logit.</summary>
    public int ClsOutChannels { get; init; } = 2;

    /// <summary>Score map side, as the reference computes it: <c>(INSTANCE - EXEMPLAR) // STRIDE + 1 + BASE_SIZE</c> (25 by default).</summary>
    public int ScoreSize => (InstanceSize - ExemplarSize) / Stride + 1 + BaseSize;

    /// <summary>The published <c>siamban_r50_l234</c> tracker settings.</summary>
    public static SiamBanTrackerConfig R50L234 { get; } = new();

    /// <summary>
    /// Reads <c>TRACK.{PENALTY_K, WINDOW_INFLUENCE, LR, EXEMPLAR_SIZE, INSTANCE_SIZE, BASE_SIZE, CONTEXT_AMOUNT}</c>,
    /// <c>POINT.STRIDE</c> and <c>BAN.KWARGS.cls_out_channels</c> from a SiamBAN experiment config; keys the config
    /// lacks keep the family defaults of <see cref="ConfigFamily.SiamBan"/> (loaded with the config).
    /// </summary>
    public static SiamBanTrackerConfig FromConfig(ExperimentConfig config)
    {
        string type = config.Get("TRACK.TYPE", "SiamBANTracker");
        if (type != "SiamBANTracker")
            throw new ArgumentException($"TRACK.TYPE '{type}' is not SiamBANTracker");
        var result = new SiamBanTrackerConfig
        {
            PenaltyK = config.Get<double>("TRACK.PENALTY_K"),
            WindowInfluence = config.Get<double>("TRACK.WINDOW_INFLUENCE"),
            LearningRate = config.Get<double>("TRACK.LR"),
            ExemplarSize = config.Get<int>("TRACK.EXEMPLAR_SIZE"),
            InstanceSize = config.Get<int>("TRACK.INSTANCE_SIZE"),
            BaseSize = config.Get<int>("TRACK.BASE_SIZE"),
            ContextAmount = config.Get<double>("TRACK.CONTEXT_AMOUNT"),
            Stride = config.Get<int>("POINT.STRIDE"),
            ClsOutChannels = config.Get("BAN.KWARGS.cls_out_channels", 2),
        };
        result.Validate();
        return result;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (ExemplarSize < 1 || InstanceSize < ExemplarSize)
            throw new ArgumentException($"TRACK.EXEMPLAR_SIZE {ExemplarSize} / INSTANCE_SIZE {InstanceSize}: need 1 <= exemplar <= instance");
        if (Stride < 1) throw new ArgumentException($"POINT.STRIDE {Stride} must be >= 1");
        if (ScoreSize < 1) throw new ArgumentException($"score size {ScoreSize} (from TRACK.BASE_SIZE {BaseSize}) must be >= 1");
        if (ClsOutChannels is not (1 or 2))
            throw new ArgumentException($"BAN.KWARGS.cls_out_channels {ClsOutChannels} must be 1 (sigmoid) or 2 (softmax)");
        if (WindowInfluence is < 0 or > 1) throw new ArgumentException($"TRACK.WINDOW_INFLUENCE {WindowInfluence} must lie in [0, 1]");
        if (ContextAmount < 0) throw new ArgumentException($"TRACK.CONTEXT_AMOUNT {ContextAmount} must be >= 0");
    }
}
