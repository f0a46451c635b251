using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// DiMP's filter optimizer (<c>DiMPSteepestDescentGN</c>): unrolled steepest descent with Gauss-Newton step length on
/// the discriminative loss whose label map, target mask and spatial weight are predicted from the distance to the
/// target centre (1×1 convs over <c>num_dist_bins</c> distance bins), with a learnt step length and regularisation.
/// The score activation is LeakyReluPar <c>(1−m)/2·|s| + (1+m)/2·s</c> with derivative <c>(1−m)/2·sign(s) + (1+m)/2</c>.
/// </summary>
public sealed class DiMPSteepestDescentGN : Module
{
#pragma warning disable IDE1006
    private readonly Parameter log_step_length;
    private readonly Parameter filter_reg;
    private readonly Conv2d label_map_predictor;
    private readonly Sequential target_mask_predictor;
    private readonly Conv2d spatial_weight_predictor;
#pragma warning restore IDE1006

    public DiMPSteepestDescentGN(int numIter = 5, int featStride = 16, double initStepLength = 0.9, double initFilterReg = 0.1,
        double initGaussSigma = 1.0, int numDistBins = 100, double binDisplacement = 0.1, double maskInitFactor = 3.0,
        double minFilterReg = 1e-3, double alphaEps = 0) : base(nameof(DiMPSteepestDescentGN))
    {
        NumIter = numIter;
        FeatStride = featStride;
        NumDistBins = numDistBins;
        BinDisplacement = binDisplacement;
        MinFilterReg = minFilterReg;
        AlphaEps = alphaEps;
        log_step_length = new Parameter(full(1, Math.Log(initStepLength)));
        filter_reg = new Parameter(full(1, initFilterReg));

        label_map_predictor = Conv2d(numDistBins, 1, 1, bias: false);
        target_mask_predictor = Sequential(Conv2d(numDistBins, 1, 1, bias: false), Sigmoid());
        spatial_weight_predictor = Conv2d(numDistBins, 1, 1, bias: false);
        using (no_grad())
        {
            // Reference initialisation: Gaussian label over the bin distances (minus its minimum), tanh-shaped mask,
            // unit spatial weight.
            var d = arange(numDistBins, dtype: ScalarType.Float32).view(1, -1, 1, 1) * binDisplacement;
            var gauss = initGaussSigma == 0
                ? zeros_like(d).index_put_(tensor(1f), tensor(0L), tensor(0L), tensor(0L), tensor(0L))
                : exp(-0.5 * (d / initGaussSigma).pow(2));
            label_map_predictor.weight!.copy_(gauss - gauss.min());
            ((Conv2d)target_mask_predictor[0]).weight!.copy_(maskInitFactor * tanh(2.0 - d));
            spatial_weight_predictor.weight!.fill_(1.0);
        }
        RegisterComponents();
    }

    public int NumIter { get; }
    public int FeatStride { get; }
    public int NumDistBins { get; }
    public double BinDisplacement { get; }
    public double MinFilterReg { get; }
    public double AlphaEps { get; }

    /// <summary>
    /// Runs <paramref name="numIter"/> (default <see cref="NumIter"/>) iterations from <paramref name="weights"/>
    /// (sequences, C, fH, fW) on <paramref name="feat"/> (images, [sequences], C, H, W) with target boxes
    /// <paramref name="bb"/> (images, [sequences], 4) xywh in image coordinates. <paramref name="sampleWeight"/>
    /// (images[, sequences]) defaults to uniform <c>1/images</c>. The filter transpose follows the module's training flag.
    /// </summary>
    public FilterOptimizerResult Optimize(Tensor weights, Tensor feat, Tensor bb, Tensor? sampleWeight = null, int? numIter = null,
        bool computeLosses = true)
    {
        int iterations = numIter ?? NumIter;
        long numImages = feat.shape[0];
        long numSequences = feat.dim() == 5 ? feat.shape[1] : 1;
        (long H, long W) filterSz = (weights.shape[^2], weights.shape[^1]);
        long outH = feat.shape[^2] + (filterSz.H + 1) % 2, outW = feat.shape[^1] + (filterSz.W + 1) % 2;

        var iterates = new List<Tensor> { weights.alias() };
        var losses = new List<Tensor>();
        using var scope = NewDisposeScope();
        var stepLengthFactor = log_step_length.exp();
        var regWeight = (filter_reg * filter_reg).clamp_min(MinFilterReg * MinFilterReg);

        var offset = tensor(new float[] { filterSz.H % 2, filterSz.W % 2 }, device: bb.device) / 2.0;
        var center = ((bb[TensorIndex.Ellipsis, ..2] + bb[TensorIndex.Ellipsis, 2..] / 2) / FeatStride).reshape(-1, 2).flip(1) - offset;
        var distMap = DistanceMap.Compute(center, NumDistBins, BinDisplacement, outH, outW);
        var labelMap = label_map_predictor.call(distMap).reshape(numImages, numSequences, outH, outW);
        var targetMask = target_mask_predictor.call(distMap).reshape(numImages, numSequences, outH, outW);
        var spatialWeight = spatial_weight_predictor.call(distMap).reshape(numImages, numSequences, outH, outW);
        var sw = sampleWeight is null
            ? Math.Sqrt(1.0 / numImages) * spatialWeight
            : sampleWeight.sqrt().reshape(numImages, numSequences, 1, 1) * spatialWeight;

        var maskA = (1 - targetMask) / 2;
        var maskB = (1 + targetMask) / 2;
        var w = weights;
        for (int i = 0; i < iterations; i++)
        {
            var scores = FilterOps.ApplyFilter(feat, w);
            var scoresAct = maskA * scores.abs() + maskB * scores;
            var scoreMask = maskA * scores.detach().sign() + maskB;
            var residuals = sw * (scoresAct - labelMap);
            if (computeLosses)
                losses.Add((((residuals * residuals).sum() + regWeight * (w * w).sum()) / numSequences).MoveToOuterDisposeScope());

            var residualsMapped = scoreMask * (sw * residuals);
            var weightsGrad = FilterOps.ApplyFeatTranspose(feat, residualsMapped, filterSz, training) + regWeight * w;
            var scoresGrad = FilterOps.ApplyFilter(feat, weightsGrad);
            scoresGrad = sw * (scoreMask * scoresGrad);

            var alphaNum = (weightsGrad * weightsGrad).sum([1, 2, 3]);
            var alphaDen = ((scoresGrad * scoresGrad).reshape(numImages, numSequences, -1).sum([0, 2])
                + (regWeight + AlphaEps) * alphaNum).clamp_min(1e-8);
            var alpha = alphaNum / alphaDen;
            w = w - (stepLengthFactor * alpha.reshape(-1, 1, 1, 1)) * weightsGrad;
            iterates.Add(w.MoveToOuterDisposeScope());
        }
        if (computeLosses)
        {
            var scores = FilterOps.ApplyFilter(feat, w);
            var scoresAct = maskA * scores.abs() + maskB * scores;
            var r = sw * (scoresAct - labelMap);
            losses.Add((((r * r).sum() + regWeight * (w * w).sum()) / numSequences).MoveToOuterDisposeScope());
        }
        return new FilterOptimizerResult(iterates[^1], iterates, losses);
    }
}
