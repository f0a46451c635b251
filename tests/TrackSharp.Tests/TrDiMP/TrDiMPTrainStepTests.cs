using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Trackers.TrDiMP;
using TrackSharp.Trackers.TrDiMP.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.TrDiMP;

/// <summary>
/// One ltr training step of TrDiMP (KLDiMPActor: KL box loss + LBHinge test losses of every filter iterate; backward;
/// Adam with the six param groups of transformer_dimp.py) against train_step.npz / train_step.json: each loss, the
/// per-iterate classifier losses, the gradients of the named parameters, the parameters after the Adam step and the
/// BatchNorm running statistics after the step.
/// </summary>
public sealed class TrDiMPTrainStepTests(ITestOutputHelper output)
{
    private const double LossTol = 1e-4;
    private const double GradTol = 1e-4;

    /// <summary>
    /// Gradients whose float32 value is ill-conditioned: the step-length gradient sums contributions of every unrolled
    /// iteration, and the IoUNet modulation branch runs BatchNorm in train mode over only 2 samples. Measured: the same
    /// computation in float64 moves them by 0.4–1.1e-3 (scaled) from our float32 result, and the float32 golden is
    /// 0.6–1.7e-3 away from our float64 result, so 1e-4 is below the noise of the reference itself.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, double> IllConditionedGradTol = new Dictionary<string, double>
    {
        ["classifier.filter_optimizer.log_step_length"] = 5e-3,
        ["bb_regressor.fc34_4r.0.weight"] = 5e-3,
        ["bb_regressor.conv4_1r.1.weight"] = 5e-3,
    };
    private const double ParamTol = 1e-4;

    private static Tensor Images(Npz g, string key)
    {
        var x = g.Tensor(key).to(ScalarType.Float32).permute(0, 1, 4, 2, 3);
        var mean = tensor(new float[] { 0.485f, 0.456f, 0.406f }).view(1, 1, -1, 1, 1);
        var std = tensor(new float[] { 0.229f, 0.224f, 0.225f }).view(1, 1, -1, 1, 1);
        return (x / 255 - mean) / std;
    }

    private static TrDiMPTrainingBatch Batch(Npz g) => new(Images(g, "train_images_u8"), Images(g, "test_images_u8"), g.Tensor("train_anno"),
        g.Tensor("test_anno"), g.Tensor("train_label"), g.Tensor("test_label"), g.Tensor("test_proposals"), g.Tensor("proposal_density"),
        g.Tensor("gt_density"));

    /// <summary>max |a − e| / max |e|: the error relative to the tensor's scale.</summary>
    private static double ScaledError(Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        var e = expected.to(ScalarType.Float64);
        var a = actual.detach().to(ScalarType.Float64).reshape(e.shape);
        double scale = e.abs().max().item<double>();
        return (a - e).abs().max().item<double>() / Math.Max(scale, 1e-30);
    }

    private static double RelativeError(double expected, double actual) => Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-30);

    [Fact]
    public void OneStepMatchesTheGoldenLossesGradientsAndAdamUpdate()
    {
        using var g = Npz.Load(TrDiMPGolden.File("train_step.npz"));
        using var json = JsonDocument.Parse(File.ReadAllText(TrDiMPGolden.File("train_step.json")));
        using var net = TrDiMPCheckpoints.LoadNet(TrDiMPGolden.WeightsPath, TrDiMPNetConfig.Small);
        net.SetTrainMode(true);
        using var scope = NewDisposeScope();
        var named = net.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var before = named.ToDictionary(p => p.Key, p => p.Value.detach().clone());

        using var optimizer = new TrDiMPOptimizer(net);
        optimizer.Adam.zero_grad();
        var result = new TrDiMPActor(net).Compute(Batch(g));

        // The actor's default weights are the golden run's.
        var lw = json.RootElement.GetProperty("loss_weight");
        var weights = TrDiMPLossWeights.Default;
        Assert.Equal((lw.GetProperty("bb_ce").GetDouble(), lw.GetProperty("test_clf").GetDouble(), lw.GetProperty("test_init_clf").GetDouble(),
            lw.GetProperty("test_iter_clf").GetDouble()), (weights.BbCe, weights.TestClf, weights.TestInitClf, weights.TestIterClf));

        // Losses.
        foreach (var stat in json.RootElement.GetProperty("stats").EnumerateObject())
        {
            Assert.True(result.Stats.TryGetValue(stat.Name, out var actual), $"train_step.json:stats.{stat.Name} missing");
            double err = RelativeError(stat.Value.GetDouble(), actual);
            output.WriteLine($"{stat.Name}: {actual:R} (rel err {err:E2})");
            Assert.True(err <= LossTol, $"train_step.json:stats.{stat.Name}: {actual} vs {stat.Value.GetDouble()} (rel {err:E2})");
        }
        var perIter = json.RootElement.GetProperty("clf_losses_test_per_iter").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(perIter.Length, result.TestClfLossPerIter.Count);
        for (int i = 0; i < perIter.Length; i++)
            Assert.True(RelativeError(perIter[i], result.TestClfLossPerIter[i]) <= LossTol, $"clf_losses_test_per_iter[{i}]");
        var trainLosses = json.RootElement.GetProperty("classifier_train_losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(trainLosses.Length, result.ClassifierTrainLosses.Count);
        for (int i = 0; i < trainLosses.Length; i++)
            Assert.True(RelativeError(trainLosses[i], result.ClassifierTrainLosses[i]) <= LossTol, $"classifier_train_losses[{i}]");

        // Gradients.
        result.Loss.backward();
        var gradIsNone = json.RootElement.GetProperty("grad_is_none").EnumerateObject().Select(p => p.Name).ToHashSet();
        var failures = new List<string>();
        var names = json.RootElement.GetProperty("named_params").EnumerateArray().Select(e => e.GetString()!).ToArray();
        foreach (var name in names)
        {
            var grad = named[name].grad;
            if (gradIsNone.Contains(name))
            {
                Assert.True(grad is null || grad.abs().max().item<float>() == 0, $"{name}: expected no gradient");
                continue;
            }
            Assert.NotNull(grad);
            double err = ScaledError(g.Tensor("grad__" + name.Replace(".", "__")), grad!);
            var eg = g.Tensor("grad__" + name.Replace(".", "__"));
            output.WriteLine($"grad {name}: scaled err {err:E2}  exp norm {eg.norm().item<float>():E3} act norm {grad!.norm().item<float>():E3} first {eg.flatten()[0].item<float>():E4} vs {grad.flatten()[0].item<float>():E4}");
            double tol = IllConditionedGradTol.GetValueOrDefault(name, GradTol);
            if (err > tol) failures.Add($"train_step.npz:grad__{name}: scaled error {err:E2} > {tol:E0}");
            // The Adam check below starts from the golden gradient, so that it tests the optimizer, not float32 noise
            // amplified by Adam's g/(|g|+eps) for gradients near zero.
            using (no_grad()) grad!.copy_(eg);
        }

        // Adam step from the golden gradients: compare the update (after − before), relative to its scale (≈ the group's lr).
        optimizer.Adam.step();
        foreach (var name in names)
        {
            var expectedAfter = g.Tensor("param_after__" + name.Replace(".", "__"));
            var expectedUpdate = expectedAfter - before[name];
            var actualUpdate = named[name].detach() - before[name];
            double err = expectedUpdate.abs().max().item<float>() == 0
                ? actualUpdate.abs().max().item<float>()
                : ScaledError(expectedUpdate, actualUpdate);
            double valueErr = TrDiMPGolden.MaxMixedError(expectedAfter, named[name]);
            output.WriteLine($"param {name}: update scaled err {err:E2}, value err {valueErr:E2}");
            if (err > ParamTol) failures.Add($"train_step.npz:param_after__{name}: update scaled error {err:E2}");
            if (valueErr > 1e-6) failures.Add($"train_step.npz:param_after__{name}: value error {valueErr:E2}");
        }

        // BatchNorm running statistics (layer3: two momentum updates, train then test images; IoUNet: one).
        var buffers = net.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var key in g.Keys.Where(k => k.StartsWith("bn_running_", StringComparison.Ordinal)))
        {
            bool isMean = key.StartsWith("bn_running_mean_after__", StringComparison.Ordinal);
            var module = key[(isMean ? "bn_running_mean_after__" : "bn_running_var_after__").Length..].Replace("__", ".");
            var buffer = buffers[module + (isMean ? ".running_mean" : ".running_var")];
            double err = TrDiMPGolden.MaxMixedError(g.Tensor(key), buffer);
            output.WriteLine($"{key}: {err:E2}");
            if (err > 1e-4) failures.Add($"train_step.npz:{key}: error {err:E2}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void OptimizerHasTheSixGroupsWithTiedWeightsOnce()
    {
        using var net = new TrDiMPNet(TrDiMPNetConfig.Small);
        net.SetTrainMode(true);
        using var optimizer = new TrDiMPOptimizer(net);
        Assert.Equal(6, optimizer.GroupParameterNames.Count);
        var transformer = optimizer.GroupParameterNames[3];
        Assert.Contains("classifier.transformer.encoder.layers.0.self_attn.head.0.WK.weight", transformer);
        Assert.DoesNotContain("classifier.transformer.decoder.layers.0.self_attn.head.0.WK.weight", transformer);
        Assert.DoesNotContain(optimizer.GroupParameterNames.SelectMany(n => n), n => n.StartsWith("feature_extractor.layer2", StringComparison.Ordinal));
        // StepLR(15, 0.2): epochs 0..14 at the base rate, 15..29 at 0.2×.
        Assert.Equal(1e-3, optimizer.SetEpoch(14)[3], 12);
        Assert.Equal(2e-4, optimizer.SetEpoch(15)[3], 12);
    }

    [Fact]
    public void LBHingeByHand()
    {
        // labels: 0.01 (< 0.05: only relu(score) counts), 0.5 and 1 (regress to the label).
        using var scores = tensor(new float[] { -2f, 0.3f, 0.5f, 2f });
        using var label = tensor(new float[] { 0.01f, 0.01f, 0.5f, 1f });
        // (0, 0.3, 0, 1)² → (0 + 0.09 + 0 + 1)/4
        Assert.Equal(1.09 / 4, new LBHingeLoss(0.05).Compute(scores, label).item<float>(), 6);
    }

    [Fact]
    public void KLRegressionByHand()
    {
        // Two proposals, uniform density 0.5, gt density (1, 0), scores (0, ln 2):
        // logsumexp(s − ln 0.5) = ln(2 + 4) ; − ln 2 ; − mean(s·p/q) = −(0·2 + ln2·0)/2 = 0 → ln 3.
        using var s = tensor(new float[] { 0f, (float)Math.Log(2) }).view(1, 2);
        using var q = tensor(new float[] { 0.5f, 0.5f }).view(1, 2);
        using var p = tensor(new float[] { 1f, 0f }).view(1, 2);
        Assert.Equal(Math.Log(3), new KLRegressionLoss().Compute(s, q, p, mcDim: 1).item<float>(), 5);
    }
}
