using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// The TrDiMP / TrSiam network (pytracking's <c>DiMPnet</c> as built by <c>dimpnet50</c> for TrDiMP): backbone
/// <c>feature_extractor</c> (layer2 for the IoUNet, layer3 for both heads), <c>classifier</c>
/// (<see cref="TrDiMPClassifier"/>) and <c>bb_regressor</c> (<see cref="AtomIoUNet"/>). TrSiam is the same network
/// run without filter optimisation. Parameter names equal pytracking's, so its checkpoints load strictly
/// (<see cref="TrDiMPCheckpoints"/>).
/// </summary>
public sealed class TrDiMPNet : Module
{
#pragma warning disable IDE1006
    private readonly LtrResNet feature_extractor;
    private readonly TrDiMPClassifier classifier;
    private readonly AtomIoUNet bb_regressor;
#pragma warning restore IDE1006

    public TrDiMPNet(TrDiMPNetConfig config) : base(nameof(TrDiMPNet))
    {
        Config = config;
        feature_extractor = config.ResNet50Backbone
            ? new LtrResNet([3, 4, 6, 3], bottleneck: true, inplanes: config.BackboneInplanes)
            : LtrResNet.ResNetBaby(config.BackboneInplanes);
        var (l2, l3) = feature_extractor.OutputChannels;
        classifier = new TrDiMPClassifier(config, l3);
        bb_regressor = new AtomIoUNet((l2, l3), config.IouInputDim, config.IouInterDim);
        RegisterComponents();
    }

    public TrDiMPNetConfig Config { get; }
    public LtrResNet Backbone => feature_extractor;
    public TrDiMPClassifier Classifier => classifier;
    public AtomIoUNet BoxRegressor => bb_regressor;

    /// <summary>
    /// ltr's training mode: everything trains except the frozen backbone layers
    /// (<see cref="TrDiMPNetConfig.FrozenBackboneLayers"/>), which stay in eval mode (BatchNorm on running statistics)
    /// and get no gradient.
    /// </summary>
    public void SetTrainMode(bool training)
    {
        train(training);
        foreach (var name in Config.FrozenBackboneLayers)
        {
            var layer = feature_extractor.Layer(name);
            layer.eval();
            foreach (var p in layer.parameters()) p.requires_grad = false;
        }
    }

    /// <summary>Backbone features (layer2, layer3) of ImageNet-normalised RGB images (N, 3, H, W).</summary>
    public (Tensor Layer2, Tensor Layer3) ExtractBackboneFeatures(Tensor images) => feature_extractor.call(images);

    /// <summary>
    /// Training forward of DiMPnet with TrDiMP's classifier: returns the test scores of every filter iterate
    /// (iterations + 1 tensors of (test images, sequences, H', W')) and the IoU predictions of the test proposals.
    /// Images are (frames, sequences, 3, H, W); boxes xywh in crop coordinates; <paramref name="trainLabel"/>
    /// (train frames, sequences, H, W) is the transformer's Gaussian mask.
    /// </summary>
    public (IReadOnlyList<Tensor> TargetScores, Tensor IouPred) Forward(Tensor trainImgs, Tensor testImgs, Tensor trainBb, Tensor testProposals,
        Tensor trainLabel)
    {
        var (scores, iou, losses) = ForwardWithTrainLosses(trainImgs, testImgs, trainBb, testProposals, trainLabel);
        foreach (var l in losses) l.Dispose();
        return (scores, iou);
    }

    /// <summary>
    /// <see cref="Forward"/> plus the filter optimizer's training losses (before each iteration and after the last),
    /// which ltr's actor reports.
    /// </summary>
    public (IReadOnlyList<Tensor> TargetScores, Tensor IouPred, IReadOnlyList<Tensor> FilterTrainLosses) ForwardWithTrainLosses(Tensor trainImgs,
        Tensor testImgs, Tensor trainBb, Tensor testProposals, Tensor trainLabel)
    {
        long numSequences = trainBb.shape[1];
        using var scope = NewDisposeScope();
        var (tr2, tr3) = ExtractBackboneFeatures(trainImgs.reshape(-1, trainImgs.shape[^3], trainImgs.shape[^2], trainImgs.shape[^1]));
        var (te2, te3) = ExtractBackboneFeatures(testImgs.reshape(-1, testImgs.shape[^3], testImgs.shape[^2], testImgs.shape[^1]));
        var trainFeat = classifier.ExtractClassificationFeat(tr3);
        var testFeat = classifier.ExtractClassificationFeat(te3);
        trainFeat = trainFeat.reshape(-1, numSequences, trainFeat.shape[^3], trainFeat.shape[^2], trainFeat.shape[^1]);
        testFeat = testFeat.reshape(-1, numSequences, testFeat.shape[^3], testFeat.shape[^2], testFeat.shape[^1]);
        var (encoded, decoded) = classifier.Transformer.call(trainFeat, testFeat, trainLabel);
        encoded = encoded.reshape(-1, numSequences, encoded.shape[^3], encoded.shape[^2], encoded.shape[^1]);
        decoded = decoded.reshape(-1, numSequences, decoded.shape[^3], decoded.shape[^2], decoded.shape[^1]);
        var filt = classifier.GetFilter(encoded, trainBb);
        var scores = filt.Iterates.Select(f => TrDiMPClassifier.Classify(f, decoded).MoveToOuterDisposeScope()).ToList();
        var iou = bb_regressor.Forward(tr2, tr3, te2, te3, trainBb, testProposals).MoveToOuterDisposeScope();
        var losses = filt.Losses.Select(l => l.MoveToOuterDisposeScope()).ToList();
        return (scores, iou, losses);
    }
}
