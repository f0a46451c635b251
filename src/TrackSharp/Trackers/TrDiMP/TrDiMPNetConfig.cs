namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// Constructor settings of the TrDiMP network (pytracking's <c>dimpnet50</c> with the keyword arguments of
/// <c>ltr/train_settings/dimp/transformer_dimp.py</c>). <see cref="Full"/> is the published TrDiMP/TrSiam network;
/// <see cref="Small"/> is the reduced-width network of <c>golden/trdimp_small</c> (same algorithm).
/// </summary>
public sealed record TrDiMPNetConfig
{
    /// <summary>True: ResNet-50 (Bottleneck); false: ltr <c>resnet_baby</c> (BasicBlock [2,2,2,2]).</summary>
    public bool ResNet50Backbone { get; init; } = true;
    /// <summary>Stem width of the backbone (64 for ResNet-50, 16 for the golden resnet_baby).</summary>
    public int BackboneInplanes { get; init; } = 64;
    public int FilterSize { get; init; } = 4;
    /// <summary>Channels of the classification features (= transformer d_model).</summary>
    public int OutFeatureDim { get; init; } = 512;
    public int OptimIter { get; init; } = 5;
    public double OptimInitStep { get; init; } = 0.9;
    public double OptimInitReg { get; init; } = 0.1;
    public double InitGaussSigma { get; init; } = 1.0 / 4 / 6 * 22;
    public int NumDistBins { get; init; } = 100;
    public double BinDisplacement { get; init; } = 0.1;
    public double MaskInitFactor { get; init; } = 3.0;
    /// <summary>AtomIoUNet <c>pred_input_dim</c>.</summary>
    public (int, int) IouInputDim { get; init; } = (256, 256);
    /// <summary>AtomIoUNet <c>pred_inter_dim</c>.</summary>
    public (int, int) IouInterDim { get; init; } = (256, 256);
    /// <summary>Backbone layers that are not trained.</summary>
    public IReadOnlyList<string> FrozenBackboneLayers { get; init; } = ["conv1", "bn1", "layer1", "layer2"];

    /// <summary>Feature stride of the classification features (layer3).</summary>
    public const int FeatureStride = 16;

    /// <summary>The published TrDiMP network (ResNet-50, 512-d transformer, IoUNet 256).</summary>
    public static TrDiMPNetConfig Full { get; } = new();

    /// <summary>golden/trdimp_small: resnet_baby(16), 32-d classification features and transformer, IoUNet (32, 32).</summary>
    public static TrDiMPNetConfig Small { get; } = new()
    {
        ResNet50Backbone = false,
        BackboneInplanes = 16,
        OutFeatureDim = 32,
        IouInputDim = (32, 32),
        IouInterDim = (32, 32),
    };
}
