namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>
/// The hyper-parameters that shape the SiamFC++ network (videoanalyst's <c>SiamTrack</c>, <c>DenseboxHead</c>
/// and <c>AlexNet</c> config keys). <see cref="Small"/> is the golden reference's width-/4 model.
/// </summary>
public sealed record SiamFCppModelConfig
{
    /// <summary>conv1..conv5 output channels of the AlexNet backbone.</summary>
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

    /// <summary>The golden "small" model: AlexNet widths (24, 64, 96, 96, 64), head width 64.</summary>
    public static SiamFCppModelConfig Small { get; } = new() { BackboneWidths = new[] { 24, 64, 96, 96, 64 }, HeadWidth = 64 };

    internal void Validate()
    {
        if (HeadConvBn.Count != NumConv3x3)
            throw new ArgumentException($"head_conv_bn has {HeadConvBn.Count} flags but num_conv3x3 is {NumConv3x3}");
        if (NeckConvBias.Count != 4)
            throw new ArgumentException($"neck_conv_bias needs 4 flags (c_z_k, r_z_k, c_x, r_x), got {NeckConvBias.Count}");
        if (ScoreSize <= 0)
            throw new ArgumentException($"x_size {XSize}, z_size {ZSize}, total_stride {TotalStride}, num_conv3x3 {NumConv3x3} give score_size {ScoreSize}");
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor(a / (double)b);
}
