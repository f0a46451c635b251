using TrackSharp.Config;

namespace TrackSharp.Detection.Fcos;

/// <summary>
/// The architecture and head settings of an FCOS model, read from a maskrcnn-benchmark config
/// (<c>MODEL.BACKBONE</c>, <c>MODEL.RESNETS</c>, <c>MODEL.FCOS</c>, <c>MODEL.RETINANET.USE_C5</c>, <c>INPUT</c>,
/// <c>DATALOADER.SIZE_DIVISIBILITY</c>, <c>TEST.DETECTIONS_PER_IMG</c>). Defaults are maskrcnn-benchmark's
/// R-50-FPN FCOS ones, so <c>new FcosModelOptions()</c> is the full-width model.
/// </summary>
public sealed record FcosModelOptions
{
    /// <summary>Bottleneck counts of layer1..layer4 (3,4,6,3 for R-50; 3,4,23,3 for R-101).</summary>
    public IReadOnlyList<int> BlockCounts { get; init; } = new[] { 3, 4, 6, 3 };
    public int StemOutChannels { get; init; } = 64;
    public int Res2OutChannels { get; init; } = 256;
    public int NumGroups { get; init; } = 1;
    public int WidthPerGroup { get; init; } = 64;
    public bool StrideIn1x1 { get; init; } = true;
    public int Res5Dilation { get; init; } = 1;
    /// <summary><c>FREEZE_CONV_BODY_AT</c>: stages 0 (stem) .. n-1 get no gradient.</summary>
    public int FreezeConvBodyAt { get; init; } = 2;
    public int BackboneOutChannels { get; init; } = 256;
    /// <summary><c>MODEL.RETINANET.USE_C5</c>: P6 from C5 instead of P5.</summary>
    public bool P6FromC5 { get; init; }
    /// <summary>Foreground classes (<c>MODEL.FCOS.NUM_CLASSES - 1</c>).</summary>
    public int NumClasses { get; init; } = 80;
    public int NumConvs { get; init; } = 4;
    public double PriorProb { get; init; } = 0.01;
    public IReadOnlyList<int> FpnStrides { get; init; } = new[] { 8, 16, 32, 64, 128 };
    public bool NormRegTargets { get; init; }
    public bool CenternessOnReg { get; init; }
    public double CenterSamplingRadius { get; init; }
    /// <summary><c>IOU_LOSS_TYPE</c>: "iou" or "giou".</summary>
    public string IouLossType { get; init; } = "iou";
    public float FocalAlpha { get; init; } = 0.25f;
    public float FocalGamma { get; init; } = 2f;
    public FcosPostProcessorOptions PostProcessor { get; init; } = new();
    public int MinSizeTest { get; init; } = 800;
    public int MaxSizeTest { get; init; } = 1333;
    public IReadOnlyList<float> PixelMean { get; init; } = new[] { 102.9801f, 115.9465f, 122.7717f };
    public IReadOnlyList<float> PixelStd { get; init; } = new[] { 1f, 1f, 1f };
    public bool ToBgr255 { get; init; } = true;
    public int SizeDivisibility { get; init; } = 32;

    /// <summary>Reads the options from a maskrcnn-benchmark config; an unsupported value throws naming its key.</summary>
    public static FcosModelOptions FromConfig(ExperimentConfig cfg)
    {
        string body = cfg.Get("MODEL.BACKBONE.CONV_BODY", "R-50-FPN-RETINANET");
        int[] blocks = body switch
        {
            "R-50-FPN-RETINANET" => new[] { 3, 4, 6, 3 },
            "R-101-FPN-RETINANET" => new[] { 3, 4, 23, 3 },
            _ => throw cfg.Error("MODEL.BACKBONE.CONV_BODY", $"'{body}' is not supported by FCOS here (R-50-FPN-RETINANET, R-101-FPN-RETINANET)"),
        };
        if (cfg.Get("MODEL.FCOS.USE_DCN_IN_TOWER", false))
            throw cfg.Error("MODEL.FCOS.USE_DCN_IN_TOWER", "deformable convolutions are not supported");
        if (cfg.Get("MODEL.BACKBONE.USE_GN", false) || cfg.Get("MODEL.FPN.USE_GN", false) || cfg.Get("MODEL.FPN.USE_RELU", false))
            throw cfg.Error("MODEL.FPN.USE_GN", "GroupNorm / ReLU in the backbone or FPN are not supported");
        var stages = cfg.Get("MODEL.RESNETS.STAGE_WITH_DCN", new[] { false, false, false, false });
        if (stages.Any(s => s)) throw cfg.Error("MODEL.RESNETS.STAGE_WITH_DCN", "deformable convolutions are not supported");
        string iou = cfg.Get("MODEL.FCOS.IOU_LOSS_TYPE", "iou");
        if (iou is not ("iou" or "giou")) throw cfg.Error("MODEL.FCOS.IOU_LOSS_TYPE", $"'{iou}' is not one of iou, giou");
        int numClasses = cfg.Get("MODEL.FCOS.NUM_CLASSES", 81) - 1;
        if (numClasses < 1) throw cfg.Error("MODEL.FCOS.NUM_CLASSES", "must be at least 2 (background + 1 class)");
        var strides = cfg.Get("MODEL.FCOS.FPN_STRIDES", new[] { 8, 16, 32, 64, 128 });
        if (strides.Length != 5) throw cfg.Error("MODEL.FCOS.FPN_STRIDES", "FCOS P3-P7 needs 5 strides");
        var mean = cfg.Get("INPUT.PIXEL_MEAN", new[] { 102.9801f, 115.9465f, 122.7717f });
        var std = cfg.Get("INPUT.PIXEL_STD", new[] { 1f, 1f, 1f });
        if (mean.Length != 3) throw cfg.Error("INPUT.PIXEL_MEAN", "needs 3 values");
        if (std.Length != 3 || std.Any(s => s <= 0)) throw cfg.Error("INPUT.PIXEL_STD", "needs 3 positive values");
        return new FcosModelOptions
        {
            BlockCounts = blocks,
            StemOutChannels = cfg.Get("MODEL.RESNETS.STEM_OUT_CHANNELS", 64),
            Res2OutChannels = cfg.Get("MODEL.RESNETS.RES2_OUT_CHANNELS", 256),
            NumGroups = cfg.Get("MODEL.RESNETS.NUM_GROUPS", 1),
            WidthPerGroup = cfg.Get("MODEL.RESNETS.WIDTH_PER_GROUP", 64),
            StrideIn1x1 = cfg.Get("MODEL.RESNETS.STRIDE_IN_1X1", true),
            Res5Dilation = cfg.Get("MODEL.RESNETS.RES5_DILATION", 1),
            FreezeConvBodyAt = cfg.Get("MODEL.BACKBONE.FREEZE_CONV_BODY_AT", 2),
            BackboneOutChannels = cfg.Get("MODEL.RESNETS.BACKBONE_OUT_CHANNELS", 256),
            P6FromC5 = cfg.Get("MODEL.RETINANET.USE_C5", false),
            NumClasses = numClasses,
            NumConvs = cfg.Get("MODEL.FCOS.NUM_CONVS", 4),
            PriorProb = cfg.Get("MODEL.FCOS.PRIOR_PROB", 0.01),
            FpnStrides = strides,
            NormRegTargets = cfg.Get("MODEL.FCOS.NORM_REG_TARGETS", false),
            CenternessOnReg = cfg.Get("MODEL.FCOS.CENTERNESS_ON_REG", false),
            CenterSamplingRadius = cfg.Get("MODEL.FCOS.CENTER_SAMPLING_RADIUS", 0.0),
            IouLossType = iou,
            FocalAlpha = cfg.Get("MODEL.FCOS.LOSS_ALPHA", 0.25f),
            FocalGamma = cfg.Get("MODEL.FCOS.LOSS_GAMMA", 2f),
            PostProcessor = new FcosPostProcessorOptions
            {
                PreNmsThreshold = cfg.Get("MODEL.FCOS.INFERENCE_TH", 0.05f),
                PreNmsTopN = cfg.Get("MODEL.FCOS.PRE_NMS_TOP_N", 1000),
                NmsThreshold = cfg.Get("MODEL.FCOS.NMS_TH", 0.6),
                DetectionsPerImage = cfg.Get("TEST.DETECTIONS_PER_IMG", 100),
            },
            MinSizeTest = cfg.Get("INPUT.MIN_SIZE_TEST", 800),
            MaxSizeTest = cfg.Get("INPUT.MAX_SIZE_TEST", 1333),
            PixelMean = mean,
            PixelStd = std,
            ToBgr255 = cfg.Get("INPUT.TO_BGR255", true),
            SizeDivisibility = cfg.Get("DATALOADER.SIZE_DIVISIBILITY", 32),
        };
    }
}
