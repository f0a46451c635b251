namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>
/// The hyper-parameters that shape the SiamFC++ network (videoanalyst's <c>model.backbone</c>, <c>SiamTrack</c> and
/// <c>DenseboxHead</c> config keys). <see cref="Small"/> is the golden reference's width-/4 model; <see cref="AlexNet"/>,
/// <see cref="GoogLeNet"/>, <see cref="ShuffleNetV2X1_0"/>, <see cref="ShuffleNetV2X0_5"/> the published GOT-10k
/// test models. <see cref="SiamFCppConfigReader"/> builds one from a resolved videoanalyst task config.
/// </summary>
public sealed record SiamFCppModelConfig
{
    /// <summary><c>model.backbone.name</c>: one of <see cref="SiamFCppBackbones.Names"/>.</summary>
    public string BackboneName { get; init; } = SiamFCppBackbones.AlexNet;

    /// <summary><c>crop_pad</c> of the Inception3 and ShuffleNetV2 backbones: feature pixels cut from each edge.</summary>
    public int CropPad { get; init; } = 4;

    /// <summary><c>head_width</c> of the ShuffleNetV2 backbone section: its <c>channel_reduce</c> output channels.</summary>
    public int BackboneHeadWidth { get; init; } = 256;

    /// <summary>conv1..conv5 output channels of the AlexNet backbone (ignored by the others).</summary>
    public IReadOnlyList<int> BackboneWidths { get; init; } = SiamFCppAlexNet.PublishedWidths;

    /// <summary><c>head_width</c>: channels of the neck convs and the head towers.</summary>
    public int HeadWidth { get; init; } = 256;

    /// <summary><c>num_conv3x3</c>: 3x3 convs (pad 0) per head tower.</summary>
    public int NumConv3x3 { get; init; } = 3;

    /// <summary><c>head_conv_bn</c>: whether tower conv i has BN (one flag per conv).</summary>
    public IReadOnlyList<bool> HeadConvBn { get; init; } = new[] { false, false, true };

    /// <summary><c>neck_conv_bias</c>: bias flags of c_z_k, r_z_k, c_x, r_x.</summary>
    public IReadOnlyList<bool> NeckConvBias { get; init; } = new[] { true, true, true, true };

    public int TotalStride { get; init; } = 8;
    public int ZSize { get; init; } = 127;
    public int XSize { get; init; } = 303;

    /// <summary><c>input_size_adapt</c>: decode against points computed from the actual search size.</summary>
    public bool InputSizeAdapt { get; init; }

    /// <summary><c>score_size = (x_size - z_size) // total_stride + 1 - 2 * num_conv3x3</c> (17 for 303/127/8/3).</summary>
    public int ScoreSize => (XSize - ZSize) / TotalStride + 1 - 2 * NumConv3x3;

    /// <summary><c>score_offset = (x_size - 1 - (score_size - 1) * total_stride) // 2</c> (87 for the defaults).</summary>
    public int ScoreOffset => ScoreOffsetFor(XSize, ScoreSize);

    /// <summary>The crop coordinate of score-map point 0 for a search side and a score-map side.</summary>
    public int ScoreOffsetFor(int xSize, int scoreSize) => FloorDiv(xSize - 1 - (scoreSize - 1) * TotalStride, 2);

    /// <summary>The published SiamFC++ AlexNet model (experiments/siamfcpp/*/siamfcpp_alexnet-*.yaml).</summary>
    public static SiamFCppModelConfig AlexNet { get; } = new();

    /// <summary>The published SiamFC++ GoogLeNet test model (experiments/siamfcpp/test/got10k/siamfcpp_googlenet-got.yaml):
    /// Inception3, two tower convs without BN, x_size 303 (score map 19x19).</summary>
    public static SiamFCppModelConfig GoogLeNet { get; } = new()
    {
        BackboneName = SiamFCppBackbones.Inception3, NumConv3x3 = 2, HeadConvBn = new[] { false, false },
    };

    /// <summary>The published ShuffleNetV2 x1.0 model (siamfcpp_shufflenetv2x1_0-got.yaml), score map 17x17.</summary>
    public static SiamFCppModelConfig ShuffleNetV2X1_0 { get; } = new() { BackboneName = SiamFCppBackbones.ShuffleNetV2X1_0 };

    /// <summary>The published ShuffleNetV2 x0.5 model (siamfcpp_shufflenetv2x0_5-got.yaml), score map 17x17.</summary>
    public static SiamFCppModelConfig ShuffleNetV2X0_5 { get; } = new() { BackboneName = SiamFCppBackbones.ShuffleNetV2X0_5 };

    /// <summary>The golden "small" model: AlexNet widths (24, 64, 96, 96, 64), head width 64.</summary>
    public static SiamFCppModelConfig Small { get; } = new() { BackboneWidths = new[] { 24, 64, 96, 96, 64 }, HeadWidth = 64 };

    /// <summary>The network a resolved videoanalyst task config describes (<see cref="SiamFCppConfigReader.ReadModel"/>).</summary>
    public static SiamFCppModelConfig FromConfig(TrackSharp.Config.ExperimentConfig config) => SiamFCppConfigReader.ReadModel(config);

    /// <summary>Checks the values that do not depend on the backbone; throws <see cref="ArgumentException"/> naming the key.</summary>
    public void Validate()
    {
        if (!SiamFCppBackbones.Names.Contains(BackboneName))
            throw new ArgumentException($"backbone name '{BackboneName}' is not one of {string.Join(", ", SiamFCppBackbones.Names)}");
        if (HeadWidth < 1) throw new ArgumentException($"head_width must be >= 1, got {HeadWidth}");
        if (NumConv3x3 < 0) throw new ArgumentException($"num_conv3x3 must be >= 0, got {NumConv3x3}");
        if (TotalStride < 1) throw new ArgumentException($"total_stride must be >= 1, got {TotalStride}");
        if (HeadConvBn.Count != NumConv3x3)
            throw new ArgumentException($"head_conv_bn has {HeadConvBn.Count} flags but num_conv3x3 is {NumConv3x3}");
        if (NeckConvBias.Count != 4)
            throw new ArgumentException($"neck_conv_bias needs 4 flags (c_z_k, r_z_k, c_x, r_x), got {NeckConvBias.Count}");
        if (ScoreSize <= 0)
            throw new ArgumentException($"x_size {XSize}, z_size {ZSize}, total_stride {TotalStride}, num_conv3x3 {NumConv3x3} give score_size {ScoreSize}");
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor(a / (double)b);
}
