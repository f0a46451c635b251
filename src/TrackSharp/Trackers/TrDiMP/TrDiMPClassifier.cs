using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// TrDiMP's target classifier (<c>LinearFilter</c> with a transformer): classification feature block
/// (conv3×3 without bias + InstanceL2Norm), the transformer, the filter initializer and the steepest-descent filter
/// optimizer. The filter is learnt on the <b>encoded</b> training features and applied to the <b>decoded</b> test
/// features. Field names equal the reference's parameter names.
/// </summary>
public sealed class TrDiMPClassifier : Module
{
#pragma warning disable IDE1006
    private readonly FilterInitializerLinear filter_initializer;
    private readonly DiMPSteepestDescentGN filter_optimizer;
    private readonly Sequential feature_extractor;
    private readonly TrDiMPTransformer transformer;
#pragma warning restore IDE1006

    public TrDiMPClassifier(TrDiMPNetConfig config, int backboneDim) : base(nameof(TrDiMPClassifier))
    {
        FilterSize = config.FilterSize;
        int d = config.OutFeatureDim;
        var conv = Conv2d(backboneDim, d, 3, padding: 1, bias: false);
        using (no_grad()) init.normal_(conv.weight!, 0, Math.Sqrt(2.0 / (3 * 3 * d)));
        feature_extractor = Sequential(conv, new InstanceL2Norm(Math.Sqrt(1.0 / (d * config.FilterSize * config.FilterSize))));
        filter_initializer = new FilterInitializerLinear(config.FilterSize, d, TrDiMPNetConfig.FeatureStride, filterNorm: false);
        filter_optimizer = new DiMPSteepestDescentGN(config.OptimIter, TrDiMPNetConfig.FeatureStride, config.OptimInitStep,
            config.OptimInitReg, config.InitGaussSigma, config.NumDistBins, config.BinDisplacement, config.MaskInitFactor);
        transformer = new TrDiMPTransformer(d);
        RegisterComponents();
    }

    public int FilterSize { get; }
    public FilterInitializerLinear FilterInitializer => filter_initializer;
    public DiMPSteepestDescentGN FilterOptimizer => filter_optimizer;
    public TrDiMPTransformer Transformer => transformer;

    /// <summary>Classification features of backbone layer3 features (N, C, H, W) → (N, D, H, W).</summary>
    public Tensor ExtractClassificationFeat(Tensor layer3) => feature_extractor.call(layer3);

    /// <summary>Scores of <paramref name="filter"/> (sequences, D, fs, fs) on features (images, [sequences], D, H, W).</summary>
    public static Tensor Classify(Tensor filter, Tensor feat) => FilterOps.ApplyFilter(feat, filter);

    /// <summary>Initial filter plus the optimizer's iterations on (encoded) features and boxes.</summary>
    public FilterOptimizerResult GetFilter(Tensor feat, Tensor bb, Tensor? sampleWeight = null, int? numIter = null, bool computeLosses = true)
    {
        using var init = filter_initializer.call(feat, bb);
        return filter_optimizer.Optimize(init, feat, bb, sampleWeight, numIter, computeLosses);
    }
}
