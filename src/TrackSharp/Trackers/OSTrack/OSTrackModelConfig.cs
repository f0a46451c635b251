using System.Globalization;
using TrackSharp.Config;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// The shape of an OSTrack network, read from an experiment config in OSTrack's key layout
/// (<c>lib/models/ostrack/ostrack.py: build_ostrack</c>). The backbone sizes come from the TrackSharp keys
/// <c>MODEL.BACKBONE.EMBED_DIM/DEPTH/NUM_HEADS/MLP_RATIO</c> (upstream hard-codes ViT-B: 768/12/12/4.0).
/// </summary>
public sealed record OSTrackModelConfig
{
    /// <summary>The ViT-B image size the pretrained position table was made for (<c>BaseBackbone.img_size</c>).</summary>
    public const int PretrainImageSize = 224;

    /// <summary>The patch size of the pretrained ViT (<c>BaseBackbone.patch_size</c>): the 14x14 position grid.</summary>
    public const int PretrainPatchSize = 16;

    /// <summary><c>MODEL.BACKBONE.TYPE</c>: <c>vit_base_patch16_224</c> (plain) or <c>vit_base_patch16_224_ce</c>.</summary>
    public string BackboneType { get; init; } = "vit_base_patch16_224_ce";

    /// <summary>True for the candidate-elimination backbone (<c>VisionTransformerCE</c>).</summary>
    public bool UsesCandidateElimination => BackboneType.EndsWith("_ce", StringComparison.Ordinal);

    public int EmbedDim { get; init; } = 768;
    public int Depth { get; init; } = 12;
    public int NumHeads { get; init; } = 12;
    public double MlpRatio { get; init; } = 4.0;

    /// <summary><c>MODEL.BACKBONE.STRIDE</c>: the patch size of the tracking network (16 for every release).</summary>
    public int Stride { get; init; } = 16;

    /// <summary><c>DATA.TEMPLATE.SIZE</c> (pixels).</summary>
    public int TemplateSize { get; init; } = 128;

    /// <summary><c>DATA.SEARCH.SIZE</c> (pixels).</summary>
    public int SearchSize { get; init; } = 256;

    /// <summary><c>MODEL.BACKBONE.CE_LOC</c>: block indices that eliminate candidates.</summary>
    public IReadOnlyList<int> CeLoc { get; init; } = [3, 6, 9];

    /// <summary><c>MODEL.BACKBONE.CE_KEEP_RATIO</c>: one keep ratio per entry of <see cref="CeLoc"/>.</summary>
    public IReadOnlyList<double> CeKeepRatio { get; init; } = [0.7, 0.7, 0.7];

    public CeTemplateRange CeTemplateRange { get; init; } = CeTemplateRange.CtrPoint;

    /// <summary><c>MODEL.HEAD.TYPE</c>; only <c>CENTER</c> is built.</summary>
    public string HeadType { get; init; } = "CENTER";

    /// <summary><c>MODEL.HEAD.NUM_CHANNELS</c>: width of the first head convolution (then /2, /4, /8).</summary>
    public int HeadChannels { get; init; } = 256;

    /// <summary><c>TRAIN.DROP_PATH_RATE</c>: stochastic depth of the last block (linear from 0 at block 0).</summary>
    public double DropPathRate { get; init; } = 0.1;

    public int TemplateFeatSize => TemplateSize / Stride;
    public int SearchFeatSize => SearchSize / Stride;
    public int TemplateTokens => TemplateFeatSize * TemplateFeatSize;
    public int SearchTokens => SearchFeatSize * SearchFeatSize;

    /// <summary>Keep ratio of block <paramref name="block"/> (1.0 for blocks not in <see cref="CeLoc"/> and for the plain ViT).</summary>
    public double KeepRatioOfBlock(int block)
    {
        if (!UsesCandidateElimination) return 1.0;
        for (int i = 0; i < CeLoc.Count; i++)
            if (CeLoc[i] == block) return CeKeepRatio[i];
        return 1.0;
    }

    /// <summary>The OSTrack ViT-B 256 CE release (<c>vitb_256_mae_ce_32x4_ep300</c>).</summary>
    public static OSTrackModelConfig VitB256Ce { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the config key that is out of range.</summary>
    public void Validate()
    {
        if (FindProblem() is var (key, message))
            throw new ArgumentException($"OSTrack config {key}: {message}");
    }

    /// <summary>The first out-of-range setting as (config key, message), or null when the shape can be built.</summary>
    public (string Key, string Message)? FindProblem()
    {
        foreach (var problem in Problems()) return problem;
        return null;
    }

    private IEnumerable<(string Key, string Message)> Problems()
    {
        if (BackboneType is not ("vit_base_patch16_224" or "vit_base_patch16_224_ce"))
            yield return ("MODEL.BACKBONE.TYPE", $"'{BackboneType}' is not supported (vit_base_patch16_224, vit_base_patch16_224_ce)");
        if (HeadType != "CENTER")
            yield return ("MODEL.HEAD.TYPE", $"'{HeadType}' is not supported (CENTER)");
        if (EmbedDim <= 0 || NumHeads <= 0 || EmbedDim % NumHeads != 0)
            yield return ("MODEL.BACKBONE.NUM_HEADS", $"{NumHeads} must be positive and divide MODEL.BACKBONE.EMBED_DIM {EmbedDim}");
        if (Depth <= 0)
            yield return ("MODEL.BACKBONE.DEPTH", $"{Depth} must be positive");
        if (!(MlpRatio > 0))
            yield return ("MODEL.BACKBONE.MLP_RATIO", $"{Text(MlpRatio)} must be positive");
        if (Stride <= 0 || TemplateSize % Stride != 0 || SearchSize % Stride != 0)
            yield return ("MODEL.BACKBONE.STRIDE", $"{Stride} must divide DATA.TEMPLATE.SIZE {TemplateSize} and DATA.SEARCH.SIZE {SearchSize}");
        if (HeadChannels < 8 || HeadChannels % 8 != 0)
            yield return ("MODEL.HEAD.NUM_CHANNELS", $"{HeadChannels} must be a positive multiple of 8");
        if (DropPathRate is < 0 or >= 1)
            yield return ("TRAIN.DROP_PATH_RATE", $"{Text(DropPathRate)} must be in [0, 1)");
        if (!UsesCandidateElimination) yield break;
        if (CeLoc.Count != CeKeepRatio.Count)
            yield return ("MODEL.BACKBONE.CE_KEEP_RATIO", $"{CeKeepRatio.Count} keep ratios for {CeLoc.Count} MODEL.BACKBONE.CE_LOC entries");
        foreach (int l in CeLoc)
            if (l < 0 || l >= Depth)
                yield return ("MODEL.BACKBONE.CE_LOC", $"block {l} is outside 0..{Depth - 1}");
        foreach (double r in CeKeepRatio)
            if (r is <= 0 or > 1)
                yield return ("MODEL.BACKBONE.CE_KEEP_RATIO", $"{Text(r)} must be in (0, 1]");
        if (CeTemplateRange == CeTemplateRange.GtBox)
            yield return ("MODEL.BACKBONE.CE_TEMPLATE_RANGE", "GT_BOX is not supported");
        else if (CeTemplateRange != CeTemplateRange.All && CeTemplateMask.CentreSlice(CeTemplateRange, TemplateFeatSize) is null)
            yield return ("MODEL.BACKBONE.CE_TEMPLATE_RANGE",
                $"{CeTemplateRange} is not defined for a {TemplateFeatSize}x{TemplateFeatSize} template grid");
    }

    private static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads the network shape from an OSTrack-family experiment config (<c>MODEL.*</c>, <c>DATA.TEMPLATE/SEARCH.SIZE</c>,
    /// <c>TRAIN.DROP_PATH_RATE</c>); bad values throw <see cref="ConfigException"/> naming the key and the file.
    /// </summary>
    public static OSTrackModelConfig FromExperiment(ExperimentConfig config)
    {
        var c = new OSTrackModelConfig
        {
            BackboneType = config.Get<string>("MODEL.BACKBONE.TYPE"),
            EmbedDim = config.Get<int>("MODEL.BACKBONE.EMBED_DIM"),
            Depth = config.Get<int>("MODEL.BACKBONE.DEPTH"),
            NumHeads = config.Get<int>("MODEL.BACKBONE.NUM_HEADS"),
            MlpRatio = config.Get<double>("MODEL.BACKBONE.MLP_RATIO"),
            Stride = config.Get<int>("MODEL.BACKBONE.STRIDE"),
            TemplateSize = config.Get<int>("DATA.TEMPLATE.SIZE"),
            SearchSize = config.Get<int>("DATA.SEARCH.SIZE"),
            CeLoc = config.Get<int[]>("MODEL.BACKBONE.CE_LOC"),
            CeKeepRatio = config.Get<double[]>("MODEL.BACKBONE.CE_KEEP_RATIO"),
            CeTemplateRange = ParseRange(config),
            HeadType = config.Get<string>("MODEL.HEAD.TYPE"),
            HeadChannels = config.Get<int>("MODEL.HEAD.NUM_CHANNELS"),
            DropPathRate = config.Get<double>("TRAIN.DROP_PATH_RATE"),
        };
        if (c.FindProblem() is var (key, message))
        {
            var node = config.Contains(key) ? config.Node(key) : config.Root;
            throw new ConfigException(new ConfigError(node.Source, key, message));
        }
        return c;
    }

    private static CeTemplateRange ParseRange(ExperimentConfig config)
    {
        const string key = "MODEL.BACKBONE.CE_TEMPLATE_RANGE";
        return config.Get<string>(key) switch
        {
            "ALL" => CeTemplateRange.All,
            "CTR_POINT" => CeTemplateRange.CtrPoint,
            "CTR_REC" => CeTemplateRange.CtrRec,
            "GT_BOX" => CeTemplateRange.GtBox,
            var other => throw new ConfigException(new ConfigError(config.Node(key).Source, key,
                $"'{other}' is not one of ALL, CTR_POINT, CTR_REC, GT_BOX")),
        };
    }
}
