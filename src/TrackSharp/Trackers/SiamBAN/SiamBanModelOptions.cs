using TrackSharp.Config;

namespace TrackSharp.Trackers.SiamBAN;

/// <summary>
/// What <see cref="SiamBanModel"/> builds, in the reference config's terms: <c>BACKBONE.TYPE</c> /
/// <c>BACKBONE.KWARGS</c> (<c>used_layers</c>, <c>width</c>), <c>ADJUST.KWARGS</c> (<c>in_channels</c>,
/// <c>out_channels</c>; null when <c>ADJUST.ADJUST</c> is false) and <c>BAN.KWARGS</c> (<c>in_channels</c>,
/// <c>cls_out_channels</c>, <c>weighted</c>). <see cref="R50L234"/> is <c>experiments/siamban_r50_l234</c>.
/// </summary>
public sealed record SiamBanModelOptions
{
    /// <summary><c>resnet50</c> (width 64) or <c>resnet50_narrow</c> (the golden small model's width-scaled variant).</summary>
    public string BackboneType { get; init; } = "resnet50";
    public IReadOnlyList<int> UsedLayers { get; init; } = new[] { 2, 3, 4 };
    /// <summary>Stem width / base planes of the backbone (64 for the real ResNet-50).</summary>
    public int BackboneWidth { get; init; } = 64;
    public IReadOnlyList<int>? AdjustInChannels { get; init; } = new[] { 512, 1024, 2048 };
    public IReadOnlyList<int>? AdjustOutChannels { get; init; } = new[] { 256, 256, 256 };
    public IReadOnlyList<int> BanInChannels { get; init; } = new[] { 256, 256, 256 };
    /// <summary>2: softmax over two logits; 1: one sigmoid logit.</summary>
    public int ClsOutChannels { get; init; } = 2;
    public bool Weighted { get; init; } = true;

    /// <summary>The published <c>siamban_r50_l234</c> network.</summary>
    public static SiamBanModelOptions R50L234 { get; } = new();

    /// <summary>Reads BACKBONE / ADJUST / BAN from a SiamBAN experiment config.</summary>
    public static SiamBanModelOptions FromConfig(ExperimentConfig config)
    {
        string type = config.Get<string>("BACKBONE.TYPE");
        string ban = config.Get("BAN.TYPE", "MultiBAN");
        if (ban != "MultiBAN")
            throw new ArgumentException($"BAN.TYPE '{ban}' is not supported (only MultiBAN)");
        bool adjust = config.Get("ADJUST.ADJUST", true);
        if (adjust && config.Get("ADJUST.TYPE", "AdjustAllLayer") != "AdjustAllLayer")
            throw new ArgumentException($"ADJUST.TYPE '{config.Get<string>("ADJUST.TYPE")}' is not supported (only AdjustAllLayer)");
        return new SiamBanModelOptions
        {
            BackboneType = type,
            UsedLayers = config.Get<List<int>>("BACKBONE.KWARGS.used_layers", new List<int> { 2, 3, 4 }),
            BackboneWidth = config.Get("BACKBONE.KWARGS.width", 64),
            AdjustInChannels = adjust ? config.Get<List<int>>("ADJUST.KWARGS.in_channels") : null,
            AdjustOutChannels = adjust ? config.Get<List<int>>("ADJUST.KWARGS.out_channels") : null,
            BanInChannels = config.Get<List<int>>("BAN.KWARGS.in_channels"),
            ClsOutChannels = config.Get("BAN.KWARGS.cls_out_channels", 2),
            Weighted = config.Get("BAN.KWARGS.weighted", false),
        };
    }
}
