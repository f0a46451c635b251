using TrackSharp.Checkpoints;
using TrackSharp.Trackers.TrDiMP;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.TrDiMP;

/// <summary>
/// The training forward of <see cref="TrDiMPNet"/> (train mode: layer3 and IoUNet BatchNorm on batch statistics, the
/// frozen conv1/bn1/layer1/layer2 in eval mode, the filter transpose of training mode) on the batch of train_step.npz:
/// classification features, encoded/decoded transformer features, the 5 filter iterates, the scores of every
/// iterate and the IoU predictions of the 128 proposals.
/// </summary>
public sealed class TrDiMPTrainForwardTests(ITestOutputHelper output)
{
    private const double Tol = 1e-4;

    private static Tensor Images(Npz g, string key)
    {
        // (frames, sequences, H, W, RGB) uint8 → (frames, sequences, 3, H, W) normalised float32.
        var u8 = g.Tensor(key);
        var x = u8.to(ScalarType.Float32).permute(0, 1, 4, 2, 3);
        var mean = tensor(new float[] { 0.485f, 0.456f, 0.406f }).view(1, 1, -1, 1, 1);
        var std = tensor(new float[] { 0.229f, 0.224f, 0.225f }).view(1, 1, -1, 1, 1);
        return (x / 255 - mean) / std;
    }

    private void Check(Npz golden, string key, Tensor actual, double tol = Tol) => TrDiMPGolden.Check(golden, key, actual, tol, output);

    [Fact]
    public void TrainModeForwardMatchesTheGoldenStep()
    {
        using var g = Npz.Load(TrDiMPGolden.File("train_step.npz"));
        using var net = TrDiMPCheckpoints.LoadNet(TrDiMPGolden.WeightsPath, TrDiMPNetConfig.Small);
        net.SetTrainMode(true);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var trainImgs = Images(g, "train_images_u8");
        var testImgs = Images(g, "test_images_u8");
        var trainBb = g.Tensor("train_anno");
        var (_, tr3) = net.ExtractBackboneFeatures(trainImgs.reshape(-1, 3, 352, 352));
        var (_, te3) = net.ExtractBackboneFeatures(testImgs.reshape(-1, 3, 352, 352));
        Check(g, "train_feat_clf", net.Classifier.ExtractClassificationFeat(tr3));
        Check(g, "test_feat_clf", net.Classifier.ExtractClassificationFeat(te3));

        var (encoded, decoded) = net.Classifier.Transformer.call(g.Tensor("train_feat_clf"), g.Tensor("test_feat_clf"), g.Tensor("train_label"));
        Check(g, "encoded_train_feat", encoded);
        Check(g, "decoded_test_feat", decoded);

        // Only 5 iterations here; the chain is short enough to stay within the tolerance.
        var filt = net.Classifier.GetFilter(g.Tensor("encoded_train_feat"), trainBb);
        Check(g, "filter_iterates", stack(filt.Iterates.ToArray()));

        var gScores = g.Tensor("target_scores"); // (iterate, test frame, sequence, 23, 23)
        var decodedGolden = g.Tensor("decoded_test_feat").reshape(3, 2, 32, 22, 22);
        var gIter = g.Tensor("filter_iterates");
        var scores = Enumerable.Range(0, (int)gIter.shape[0]).Select(i => TrDiMPClassifier.Classify(gIter[i], decodedGolden)).ToArray();
        Check(g, "target_scores", stack(scores));
    }

    [Fact]
    public void FullTrainForwardGivesTheGoldenScoresAndIous()
    {
        using var g = Npz.Load(TrDiMPGolden.File("train_step.npz"));
        using var net = TrDiMPCheckpoints.LoadNet(TrDiMPGolden.WeightsPath, TrDiMPNetConfig.Small);
        net.SetTrainMode(true);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (scores, iou) = net.Forward(Images(g, "train_images_u8"), Images(g, "test_images_u8"), g.Tensor("train_anno"),
            g.Tensor("test_proposals"), g.Tensor("train_label"));
        Check(g, "target_scores", stack(scores.ToArray()));
        Check(g, "bb_scores", iou);
    }
}
