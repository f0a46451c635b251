using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Detection;
using TrackSharp.Detection.Fcos;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Detection;

/// <summary>
/// <see cref="FcosLoss"/>, <see cref="FcosOptimizer"/> and one training step against golden/fcos_small:
/// train_step.npz (imprv: GIoU, center sampling, NORM_REG_TARGETS), train_loss_plain.npz (IoU loss, exp
/// regression) and meta.json (<c>train_step.losses</c>, <c>plain_config_losses</c>, <c>param_groups</c>).
/// Losses within 1e-4 relative, gradients within 1e-4 of each map's largest magnitude, loss inputs exact.
/// </summary>
public class FcosLossTests
{
    private static readonly int[] Strides = { 8, 16, 32, 64, 128 };
    private static readonly string[] LossNames = { "loss_cls", "loss_reg", "loss_centerness" };
    private readonly ITestOutputHelper _out;
    public FcosLossTests(ITestOutputHelper output) => _out = output;

    private static JsonElement TrainStepMeta()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FcosGolden.File("meta.json")));
        return doc.RootElement.GetProperty("train_step").Clone();
    }

    private static FcosImageTargets Targets(Npz train, FcosHeadOutput head, double radius, bool norm)
    {
        var loc = head.BoxCls.Select((t, l) => FcosLocations.ForLevel((int)t.shape[2], (int)t.shape[3], Strides[l])).ToList();
        return new FcosTargetAssigner(Strides, radius, norm).Assign(loc, train["input/gt_boxes"].ToFloatArray(), train["input/gt_labels"].ToLongArray());
    }

    private static void AssertRelative(double expected, double actual, string what, double rtol = 1e-4) =>
        Assert.True(Math.Abs(actual - expected) <= rtol * Math.Abs(expected), $"{what}: {actual} vs expected {expected}");

    private void CheckLossesOnGoldenHead(string regFile, string iouType, double radius, bool norm, JsonElement expectedLosses, int expectedNumPos)
    {
        using var train = Npz.Load(FcosGolden.File("train_step.npz"));
        using var regNpz = Npz.Load(FcosGolden.File(regFile));
        using var scope = NewDisposeScope();
        var cls = Enumerable.Range(3, 5).Select(l => train.Tensor($"head/box_cls/P{l}").requires_grad_()).ToArray();
        var reg = Enumerable.Range(3, 5).Select(l => regNpz.Tensor($"head/box_regression/P{l}").requires_grad_()).ToArray();
        var ctr = Enumerable.Range(3, 5).Select(l => regNpz.Tensor($"head/centerness/P{l}").requires_grad_()).ToArray();
        var head = new FcosHeadOutput(cls, reg, ctr);
        var targets = Targets(train, head, radius, norm);
        using var losses = new FcosLoss(0.25f, 2f, iouType).Compute(head, new[] { targets });

        Assert.Equal(expectedNumPos, losses.NumPos);
        Assert.Equal(regNpz["loss_in/labels_flatten"].ToIntArray(), losses.LabelsFlatten);
        Assert.Equal(regNpz["loss_in/pos_inds"].ToIntArray(), losses.PositiveIndices);
        Assert.Equal(regNpz["loss_in/reg_targets_pos"].ToFloatArray(), losses.RegTargetsPositive);
        Assert.Equal(regNpz["loss_in/centerness_targets_pos"].ToFloatArray(), losses.CenternessTargetsPositive);
        var values = new[] { losses.LossCls, losses.LossReg, losses.LossCenterness };
        for (int k = 0; k < 3; k++)
        {
            double expected = expectedLosses.GetProperty(LossNames[k]).GetDouble();
            double actual = values[k].item<float>();
            _out.WriteLine($"{regFile} {LossNames[k]}: {actual:R} vs {expected:R} (rel {Math.Abs(actual - expected) / expected:E2})");
            AssertRelative(expected, actual, LossNames[k]);
        }
        if (regFile != "train_step.npz") return;
        // d(loss)/d(head output) per loss, as train_step.npz loss_grad/<loss>/P<l>.
        var inputs = cls.Concat(reg).Concat(ctr).ToArray();
        for (int k = 0; k < 3; k++)
        {
            var grads = autograd.grad(new[] { values[k] }, inputs, retain_graph: true, allow_unused: true);
            for (int l = 0; l < 5; l++)
            {
                var g = k switch { 0 => grads[l], 1 => grads[5 + l], _ => grads[10 + l] };
                var expected = train[$"loss_grad/{LossNames[k]}/P{l + 3}"].ToFloatArray();
                double w = FcosParity.AssertAllClose(expected, FcosParity.Floats(g), $"loss_grad/{LossNames[k]}/P{l + 3}");
                _out.WriteLine($"loss_grad/{LossNames[k]}/P{l + 3}: max|diff|/max|expected| {w:E2}");
            }
        }
    }

    [Fact]
    public void Imprv_losses_and_their_gradients_match_train_step_npz()
    {
        var meta = TrainStepMeta();
        CheckLossesOnGoldenHead("train_step.npz", "giou", 1.5, true, meta.GetProperty("losses"), meta.GetProperty("num_pos").GetInt32());
    }

    [Fact]
    public void Plain_config_losses_match_train_loss_plain_npz()
    {
        var plain = TrainStepMeta().GetProperty("plain_config_losses");
        CheckLossesOnGoldenHead("train_loss_plain.npz", "iou", 0, false, plain.GetProperty("losses"), plain.GetProperty("num_pos").GetInt32());
    }

    [Fact]
    public void One_training_step_matches_grads_param_groups_and_params_after()
    {
        var meta = TrainStepMeta();
        using var train = Npz.Load(FcosGolden.File("train_step.npz"));
        using var model = FcosParity.LoadGoldenModel();
        model.train();
        var cfg = TrackSharp.Config.ConfigFamily.MaskRcnnBenchmark.Load(FcosGolden.File("config.yaml"));
        using var optimizer = new FcosOptimizer(model, FcosSolverOptions.FromConfig(cfg));
        var schedule = new WarmupMultiStepLR(new[] { 60000, 80000 }, 0.1, 1.0 / 3, 500, WarmupMethod.Constant);
        optimizer.SetLearningRates(schedule, 0);

        // make_optimizer's groups: same parameters, order, lr and weight decay as meta.json param_groups.
        var groups = meta.GetProperty("param_groups").EnumerateArray().ToList();
        Assert.Equal(groups.Select(g => g.GetProperty("name").GetString()), optimizer.Names);
        for (int i = 0; i < groups.Count; i++)
        {
            Assert.Equal(groups[i].GetProperty("lr").GetDouble(), optimizer.LearningRate(i), 15);
            Assert.Equal(groups[i].GetProperty("weight_decay").GetDouble(), optimizer.WeightDecays[i], 15);
        }

        using var scope = NewDisposeScope();
        optimizer.ZeroGrad();
        using var head = model.forward(train.Tensor("input/tensor"));
        var targets = Targets(train, head, 1.5, true);
        using var losses = FcosLoss.FromOptions(model.Options).Compute(head, new[] { targets });
        var total = losses.Total();
        AssertRelative(meta.GetProperty("total_loss").GetDouble(), total.item<float>(), "total_loss");
        total.backward();
        // End to end, 1e-4 of each map's magnitude holds for the head's last layers, the scales, the last cls
        // GroupNorm and the bbox tower (no bbox-tower ReLU input of this image lies near enough to zero). From the cls
        // tower's last conv down (and so in the FPN and the ResNet) it cannot: our float32 FPN outputs differ from the
        // reference's by ~4e-6 of their range, which moves four cls-tower ReLU inputs of this image (|x| < 2e-5)
        // across zero, and those derivative jumps show up to ~0.11 of the lower gradients (measured). That part is a
        // sanity bound only (0.2); FcosGradientParityTests checks every gradient and update at 1e-4 from the
        // reference's features, and shows the jump under float32-sized noise.
        double worstTight = 0, worstLoose = 0; string worstTightName = "", worstLooseName = "";
        foreach (var (name, p) in model.TrainableParameters())
        {
            bool tight = WellConditioned(name);
            double w = FcosParity.AssertAllClose(train[$"grad/{name}"].ToFloatArray(), FcosParity.Floats(p.grad!), $"grad/{name}",
                rtol: tight ? 1e-4 : 0.2);
            if (tight && w > worstTight) (worstTight, worstTightName) = (w, name);
            if (!tight && w > worstLoose) (worstLoose, worstLooseName) = (w, name);
        }
        _out.WriteLine($"worst well-conditioned gradient max|diff|/max|expected|: {worstTight:E2} ({worstTightName})");
        _out.WriteLine($"worst gradient through the cls tower chain: {worstLoose:E2} ({worstLooseName})");

        // The step's error is lr times the gradient's, so the bound follows the gradient's (1e-4 well conditioned, 0.2
        // below the cls tower's last ReLU, of max|g|). The exact update rule is checked with the golden gradients in the
        // next test.
        optimizer.Step();
        FcosParity.AssertParamsAfterStep(train, model, optimizer, rtol: 0,
            atol: (name, stepScale) => stepScale * (WellConditioned(name) ? 1e-4 : 0.2) + 1e-8);
    }

    private static bool WellConditioned(string name) =>
        name.StartsWith("rpn.head.bbox_tower.") || name.StartsWith("rpn.head.bbox_pred.") || name.StartsWith("rpn.head.centerness.") ||
        name.StartsWith("rpn.head.cls_logits.") || name.StartsWith("rpn.head.scales.") || name.StartsWith("rpn.head.cls_tower.10.");

    [Fact]
    public void Sgd_step_with_the_golden_gradients_reproduces_params_after()
    {
        using var train = Npz.Load(FcosGolden.File("train_step.npz"));
        using var model = FcosParity.LoadGoldenModel();
        var cfg = TrackSharp.Config.ConfigFamily.MaskRcnnBenchmark.Load(FcosGolden.File("config.yaml"));
        using var optimizer = new FcosOptimizer(model, FcosSolverOptions.FromConfig(cfg));
        optimizer.SetLearningRateFactor(1.0 / 3);
        using var scope = NewDisposeScope();
        foreach (var (name, p) in model.TrainableParameters())
            p.grad = train.Tensor($"grad/{name}");
        optimizer.Step();
        var byName = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var key in train.Keys.Where(k => k.StartsWith("param_after/")))
        {
            // p - lr * (g + wd * p) evaluated as the reference does, so the same float32 result.
            string name = key["param_after/".Length..];
            Assert.Equal(train[key].ToFloatArray(), FcosParity.Floats(byName[name]));
        }
    }
}
