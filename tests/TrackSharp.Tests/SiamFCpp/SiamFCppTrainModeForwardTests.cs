using TrackSharp.Checkpoints;
using TrackSharp.Trackers.SiamFCpp;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.SiamFCpp;

/// <summary>
/// The train-mode forward (BN on batch statistics, batch of 4 pairs) against golden/siamfcpp_small/train_step.npz
/// pred/*: checks batched depth-wise correlation and the head on B &gt; 1. Losses and the step are other slices.
/// </summary>
public class SiamFCppTrainModeForwardTests
{
    [Fact]
    public void TrainModePredictionsOnTheGoldenBatchMatchTheReference()
    {
        using var golden = Npz.Load(Path.Combine(SiamFCppForwardFixture.Folder, "train_step.npz"));
        using var model = SiamFCppFactory.LoadModel(SiamFCppForwardFixture.WeightsPath, SiamFCppModelConfig.Small);
        model.train();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var z = golden.Tensor("batch/im_z").to_type(ScalarType.Float32);
        var x = golden.Tensor("batch/im_x").to_type(ScalarType.Float32);
        var output = model.forward(z, x);
        foreach (var (key, tensor) in new[]
                 { ("pred/cls_pred", output.ClsLogit), ("pred/ctr_pred", output.CtrLogit), ("pred/box_pred", output.Bbox) })
        {
            Assert.True(golden[key].Shape.SequenceEqual(tensor.shape),
                $"train_step.npz/{key}: shape [{string.Join(", ", tensor.shape)}] vs golden [{string.Join(", ", golden[key].Shape)}]");
            Tolerance.AssertClose(golden[key].ToFloatArray(), tensor.contiguous().data<float>().ToArray(), 1e-4, $"train_step.npz/{key}");
        }
    }
}
