using TrackSharp.Checkpoints;
using TrackSharp.Trackers.SiamFCpp;
using TrackSharp.Training.Schedules;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.SiamFCpp;

/// <summary>
/// One videoanalyst <c>RegularTrainer</c> iteration (epoch 5, iteration 0) of the golden small SiamFC++ model on
/// train_step.npz batch/*: train-mode forward, the configured losses (meta.json train_step.losses), backward with
/// the frozen parameters of meta.json train_step.frozen_params, every grad/&lt;param&gt; within 1e-4
/// (tensor-relative); then the SGD step (momentum 0.9, weight decay 5e-5, group lrs 0.1x / 1x the policy value)
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
        var frozen = meta.GetProperty("frozen_params").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
        var parameters = model.named_parameters().ToList();
        foreach (var (name, p) in parameters) p.requires_grad = !frozen.Contains(name);
        var before = parameters.ToDictionary(np => np.name, np => SiamFCppTrainStepGolden.Values(np.parameter));

        // schedule -> zero_grad -> forward -> losses -> backward -> step (the trainer's order).
        var schedule = MultiStageLrSchedule.SiamFCppAlexNet();
        var groups = new[] { new LrMultiplier("backbone", "basemodel", 0.1), new LrMultiplier("other", "^((?!basemodel).)*$", 1) };
        int epoch = meta.GetProperty("epoch").GetInt32(), iteration = meta.GetProperty("iteration").GetInt32();
        double[] lrs = schedule.GroupLearningRates(epoch, iteration, groups);
        var expectedLrs = meta.GetProperty("param_group_lrs").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(expectedLrs, lrs);
        var sgd = meta.GetProperty("sgd");
        double momentum = sgd.GetProperty("momentum").GetDouble(), decay = sgd.GetProperty("weight_decay").GetDouble();
        var paramGroups = groups.Select((g, i) => new TorchSharp.Modules.SGD.ParamGroup(
            parameters.Where(np => g.Matches(np.name)).Select(np => np.parameter),
            lr: lrs[i], momentum: momentum, dampening: 0, weight_decay: decay, nesterov: false)).ToList();
        Assert.Equal(parameters.Count, paramGroups.Sum(g => g.Parameters.Count()));
        using var optimizer = optim.SGD(paramGroups, lrs[1], momentum, 0, decay, false);

        model.train();
        optimizer.zero_grad();
        using (var scope = NewDisposeScope())
        {
            var z = golden.Tensor("batch/im_z").to_type(ScalarType.Float32);
            var x = golden.Tensor("batch/im_x").to_type(ScalarType.Float32);
            using var pred = model.forward(z, x);
            using var losses = SiamFCppLoss.Compute(pred, golden.Tensor("batch/cls_gt"), golden.Tensor("batch/ctr_gt"), golden.Tensor("batch/box_gt"));
            var expected = meta.GetProperty("losses");
            SiamFCppTrainStepGolden.AssertScalar(expected.GetProperty("cls").GetDouble(), losses.Cls, 1e-4, "meta.json train_step.losses.cls", output);
            SiamFCppTrainStepGolden.AssertScalar(expected.GetProperty("ctr").GetDouble(), losses.Ctr, 1e-4, "meta.json train_step.losses.ctr", output);
            SiamFCppTrainStepGolden.AssertScalar(expected.GetProperty("reg").GetDouble(), losses.Reg, 1e-4, "meta.json train_step.losses.reg", output);
            SiamFCppTrainStepGolden.AssertScalar(meta.GetProperty("total_loss").GetDouble(), losses.Total, 1e-4, "meta.json train_step.total_loss", output);
            losses.Total.backward();
        }

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

        optimizer.step();
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
}
