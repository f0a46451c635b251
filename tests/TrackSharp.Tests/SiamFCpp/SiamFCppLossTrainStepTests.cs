using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Trackers.SiamFCpp;
using TrackSharp.Trackers.SiamFCpp.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.SiamFCpp;

/// <summary>
/// One videoanalyst <c>RegularTrainer</c> iteration (epoch 5, iteration 0) of the golden small SiamFC++ model on
/// train_step.npz batch/*, run by the library's <see cref="SiamFCppTrainStep"/> set up from config_train_track.yaml
/// (param groups, SGD, LR policy, DynamicFreezer): group lrs = meta.json train_step.param_group_lrs, frozen parameters
/// = train_step.frozen_params, train-mode forward, the configured losses (train_step.losses, total_loss, extras iou),
/// backward: every grad/&lt;param&gt; within 1e-4 (tensor-relative; the step leaves the gradients in place); the SGD step (momentum 0.9, weight decay 5e-5, group lrs 0.1x / 1x the policy value)
/// against param_after/&lt;param&gt; and buffer_after/&lt;buffer&gt;.
/// </summary>
public class SiamFCppLossTrainStepTests(ITestOutputHelper output)
{
    private const double Tol = 1e-4;

    [Fact]
    public void OneTrainingStepMatchesTheReference()
    {
        using var golden = Npz.Load(SiamFCppTrainStepGolden.StepPath);
        var meta = SiamFCppTrainStepGolden.Meta();
        using var model = SiamFCppFactory.LoadModel(SiamFCppForwardFixture.WeightsPath, SiamFCppModelConfig.Small);
        var settings = SiamFCppTrainSettings.FromConfig(ConfigFamily.VideoAnalyst.Load(Path.Combine(SiamFCppForwardFixture.Folder, "config_train_track.yaml")));
        var sgd = meta.GetProperty("sgd");
        Assert.Equal(new SiamFCppSgdSettings(settings.Sgd.Lr, sgd.GetProperty("momentum").GetDouble(), sgd.GetProperty("weight_decay").GetDouble(),
            sgd.GetProperty("nesterov").GetBoolean(), sgd.GetProperty("dampening").GetDouble(), 32, 400000), settings.Sgd);
        using var step = new SiamFCppTrainStep(model, settings.LrSchedule(), settings.LrMultipliers, settings.Sgd, settings.Freezer());
        var regexes = meta.GetProperty("param_group_regex").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(regexes, settings.LrMultipliers.Select(m => m.Regex).ToArray());
        Assert.Empty(step.UngroupedParameters);

        int epoch = meta.GetProperty("epoch").GetInt32(), iteration = meta.GetProperty("iteration").GetInt32();
        var frozen = step.BeginEpoch(epoch).ToHashSet();
        Assert.Equal(meta.GetProperty("frozen_params").EnumerateArray().Select(e => e.GetString()!).Order(), frozen.Order());
        var parameters = model.named_parameters().ToList();
        var before = parameters.ToDictionary(np => np.name, np => SiamFCppTrainStepGolden.Values(np.parameter));

        // schedule -> zero_grad -> forward -> losses -> backward -> step (the trainer's order), as library code.
        var result = step.Run(epoch, iteration, golden.Tensor("batch/im_z"), golden.Tensor("batch/im_x"),
            golden.Tensor("batch/cls_gt"), golden.Tensor("batch/ctr_gt"), golden.Tensor("batch/box_gt"));
        Assert.Equal(meta.GetProperty("schedule_lr").GetDouble(), result.LearningRate);
        Assert.Equal(meta.GetProperty("param_group_lrs").EnumerateArray().Select(e => e.GetDouble()).ToArray(), result.GroupLearningRates);
        var expectedLosses = meta.GetProperty("losses");
        foreach (var name in new[] { "cls", "ctr", "reg" })
            AssertScalar(expectedLosses.GetProperty(name).GetDouble(), result.Losses[name], $"meta.json train_step.losses.{name}");
        Assert.Equal(["cls", "ctr", "reg"], result.Losses.Keys);
        AssertScalar(meta.GetProperty("total_loss").GetDouble(), result.Total, "meta.json train_step.total_loss");
        AssertScalar(meta.GetProperty("extras").GetProperty("reg").GetProperty("iou").GetDouble(), result.Extras["reg"]["iou"],
            "meta.json train_step.extras.reg.iou");
        output.WriteLine($"phase times: fwd {result.Forward.TotalMilliseconds:F1} ms, bwd {result.Backward.TotalMilliseconds:F1} ms, " +
                         $"optim {result.Optimizer.TotalMilliseconds:F1} ms");
        var lrs = result.GroupLearningRates;
        var groups = settings.LrMultipliers;

        // Conv biases feeding a train-mode BN (and conv5.bn.bias, whose every consumer is a conv + train-mode BN)
        // have an exactly zero gradient in exact arithmetic: both sides hold float32 noise (~1e-7 of the largest
        // gradient). Those are checked as noise on both sides; every other gradient within 1e-4 tensor-relative.
        double globalScale = parameters.Where(np => !frozen.Contains(np.name))
            .Max(np => golden[$"grad/{np.name}"].ToFloatArray().Max(MathF.Abs));
        double noiseLevel = 1e-6 * globalScale;
        var noiseGrad = new Dictionary<string, double>();
        double worstGrad = 0;
        foreach (var (name, p) in parameters)
        {
            string key = $"grad/{name}";
            if (frozen.Contains(name))
            {
                Assert.False(golden.ContainsKey(key), $"train_step.npz has {key} for a frozen parameter");
                Assert.True(p.grad is null, $"{name} is frozen but got a gradient");
                continue;
            }
            Assert.True(golden.ContainsKey(key), $"train_step.npz lacks {key}");
            Assert.NotNull(p.grad);
            float[] expected = golden[key].ToFloatArray(), ours = SiamFCppTrainStepGolden.Values(p.grad!);
            double refMax = expected.Max(MathF.Abs), ourMax = ours.Max(MathF.Abs);
            if (refMax <= noiseLevel)
            {
                output.WriteLine($"train_step.npz/{key}: structurally zero, reference max {refMax:E2}, ours {ourMax:E2}");
                Assert.True(ourMax <= noiseLevel, $"train_step.npz/{key}: reference gradient is float noise ({refMax:E2}) but ours reaches {ourMax:E3}");
                noiseGrad[name] = refMax + ourMax;
                continue;
            }
            double err = SiamFCppTrainStepGolden.RelativeMaxError(expected, ours, key);
            output.WriteLine($"train_step.npz/{key}: relative max error {err:E2}");
            worstGrad = Math.Max(worstGrad, err);
            Assert.True(err <= Tol, $"train_step.npz/{key}: relative max error {err:E3} > {Tol:E1}");
        }
        output.WriteLine($"worst gradient error {worstGrad:E2} over {parameters.Count - frozen.Count - noiseGrad.Count} parameters " +
                         $"({noiseGrad.Count} structurally zero: {string.Join(", ", noiseGrad.Keys)})");

        double worstStep = 0;
        foreach (var (name, p) in parameters)
        {
            string key = $"param_after/{name}";
            float[] old = before[name], ours = SiamFCppTrainStepGolden.Values(p);
            float[] expected = golden.ContainsKey(key) ? golden[key].ToFloatArray() : old;
            // The update, compared relative to the reference's update size (plus one float32 ulp of the value,
            // since both sides round the updated value to float32).
            double maxDelta = 0, maxErr = 0;
            for (int i = 0; i < old.Length; i++)
            {
                maxDelta = Math.Max(maxDelta, Math.Abs((double)expected[i] - old[i]));
                double ulp = Math.Abs(MathF.BitIncrement(Math.Abs(expected[i])) - Math.Abs(expected[i]));
                maxErr = Math.Max(maxErr, Math.Max(0, Math.Abs((double)ours[i] - expected[i]) - ulp));
            }
            // Noise gradients move the value by up to lr * (their size on both sides).
            double lr = groups[0].Matches(name) ? lrs[0] : lrs[1];
            maxErr = Math.Max(0, maxErr - lr * noiseGrad.GetValueOrDefault(name));
            double rel = maxDelta == 0 ? maxErr : maxErr / maxDelta;
            output.WriteLine($"train_step.npz/{key}{(golden.ContainsKey(key) ? "" : " (absent: unchanged)")}: max |update| {maxDelta:E2}, error beyond 1 ulp {maxErr:E2} (rel {rel:E2})");
            worstStep = Math.Max(worstStep, rel);
            Assert.True(maxDelta == 0 ? maxErr == 0 : rel <= Tol, $"train_step.npz/{key}: error {maxErr:E3} vs update {maxDelta:E3}");
            if (frozen.Contains(name)) Assert.Equal(old, ours);
        }
        output.WriteLine($"worst step error {worstStep:E2}");

        foreach (var (name, buffer) in model.named_buffers())
        {
            string key = $"buffer_after/{name}";
            Assert.True(golden.ContainsKey(key), $"train_step.npz lacks {key}");
            if (buffer.dtype == ScalarType.Int64)
            {
                Assert.Equal(golden[key].ToLongArray(), buffer.data<long>().ToArray());
                continue;
            }
            double err = Tolerance.MaxMixedError(golden[key].ToFloatArray(), SiamFCppTrainStepGolden.Values(buffer));
            output.WriteLine($"train_step.npz/{key}: max mixed error {err:E2}");
            Assert.True(err <= Tol, $"train_step.npz/{key}: max error {err:E3}");
        }
    }

    private void AssertScalar(double expected, double ours, string what)
    {
        double err = Math.Abs(ours - expected) / Math.Max(Math.Abs(expected), 1e-12);
        output.WriteLine($"{what}: {ours:R} vs {expected:R} (rel {err:E2})");
        Assert.True(err <= Tol, $"{what}: {ours:R} vs golden {expected:R} (relative error {err:E3} > {Tol:E1})");
    }
}
