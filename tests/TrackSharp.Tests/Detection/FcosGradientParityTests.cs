using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Detection;
using TrackSharp.Detection.Fcos;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Detection;

/// <summary>
/// The one-step training gradients of golden/fcos_small (train_step.npz <c>grad/*</c>, <c>param_after/*</c>) at the
/// README's tolerance (rtol 1e-4, atol 1e-5), and why that tolerance holds only when the head reads the reference's
/// own FPN features.
/// <para>
/// End to end (see <see cref="FcosLossTests"/>), gradients below the heads' last ReLU differ from the golden by up to
/// ~0.11 of a map's magnitude. The cause is not an implementation difference but a discontinuity: our float32
/// backbone rounds differently from the reference's (FPN outputs differ by ~4e-6 of their range, less than float32
/// differs from float64 there), and that moves four cls-tower ReLU inputs of this image (|x| &lt; 2e-5 on maps of
/// range ~6) across zero. A ReLU's derivative jumps there, and the GroupNorm backward (which removes each group's
/// mean) turns the lower gradients into small residuals of large sums, so one flipped element is a visible part of
/// them. The tests: given the golden features the head is within 1e-4, and given the head's feature gradient the
/// backbone and FPN are too; end to end on our own features every gradient is within 1e-4 once those few ReLUs (and
/// only they) decide as on the golden features; golden features moved by float32-sized noise move the tower gradients
/// by far more than 1e-4 while the gradients after the last ReLU stay within it.
/// </para>
/// </summary>
public class FcosGradientParityTests(ITestOutputHelper output)
{
    private static readonly int[] Strides = { 8, 16, 32, 64, 128 };

    /// <summary>The golden model in train mode, its head, its backbone (ResNet + FPN), by their reference names.</summary>
    private static (FcosModel Model, FcosHead Head, nn.Module<Tensor, Tensor[]> Backbone) GoldenModelParts()
    {
        var model = FcosParity.LoadGoldenModel();
        model.train();
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        return (model, (FcosHead)modules["rpn.head"], (nn.Module<Tensor, Tensor[]>)modules["backbone"]);
    }

    /// <summary>inference.npz <c>fpn/P3..P7</c>: the reference's FPN outputs for train_step.npz <c>input/tensor</c>
    /// (its train-mode head outputs are bit-identical to the eval ones computed from these, FrozenBN and GroupNorm
    /// having no train/eval difference).</summary>
    private static Tensor[] GoldenFeatures(Npz inference) =>
        Enumerable.Range(3, 5).Select(l => inference.Tensor($"fpn/P{l}")).ToArray();

    /// <summary>The imprv losses of <paramref name="head"/>'s outputs on the golden ground truth, summed.</summary>
    private static Tensor TotalLoss(FcosModel model, FcosHeadOutput head, Npz train)
    {
        var loc = head.BoxCls.Select((t, l) => FcosLocations.ForLevel((int)t.shape[2], (int)t.shape[3], Strides[l])).ToList();
        var targets = new FcosTargetAssigner(Strides, 1.5, true).Assign(loc, train["input/gt_boxes"].ToFloatArray(), train["input/gt_labels"].ToLongArray());
        using var losses = FcosLoss.FromOptions(model.Options).Compute(head, new[] { targets });
        return losses.Total();
    }

    /// <summary>numpy's <c>allclose</c> as the README means it: |a - e| &lt;= atol + rtol |e| element-wise.</summary>
    private static void AssertNumpyAllClose(float[] expected, float[] actual, string what, double rtol, double atol)
    {
        if (expected.Length != actual.Length) throw new XunitException($"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs((double)actual[i] - expected[i]);
            if (!(d <= atol + rtol * Math.Abs((double)expected[i])))
                throw new XunitException($"{what}: [{i}] {actual[i]} vs expected {expected[i]}: |diff| {d:E2} > {atol:E0} + {rtol:E0} * |expected|");
        }
    }

    [Fact]
    public void Every_gradient_and_update_matches_train_step_npz_from_the_golden_fpn_features()
    {
        using var train = Npz.Load(FcosGolden.File("train_step.npz"));
        using var inference = Npz.Load(FcosGolden.File("inference.npz"));
        var (model, head, backbone) = GoldenModelParts();
        using var modelScope = model;
        var cfg = TrackSharp.Config.ConfigFamily.MaskRcnnBenchmark.Load(FcosGolden.File("config.yaml"));
        using var optimizer = new FcosOptimizer(model, FcosSolverOptions.FromConfig(cfg));
        optimizer.SetLearningRates(new WarmupMultiStepLR(new[] { 60000, 80000 }, 0.1, 1.0 / 3, 500, WarmupMethod.Constant), 0);
        optimizer.ZeroGrad();

        using var scope = NewDisposeScope();
        // Head and losses on the reference's features: head parameter gradients and d(loss)/d(P3..P7).
        var features = GoldenFeatures(inference).Select(f => f.requires_grad_()).ToArray();
        using (var headOut = head.forward(features))
        {
            var total = TotalLoss(model, headOut, train);
            using var meta = JsonDocument.Parse(File.ReadAllText(FcosGolden.File("meta.json")));
            double expectedTotal = meta.RootElement.GetProperty("train_step").GetProperty("total_loss").GetDouble();
            Assert.True(Math.Abs(total.item<float>() - expectedTotal) <= 1e-4 * expectedTotal, $"total loss {total.item<float>()} vs {expectedTotal}");
            total.backward();
        }
        // ResNet and FPN on the input, back-propagating that feature gradient.
        var ours = backbone.forward(train.Tensor("input/tensor"));
        autograd.backward(ours, features.Select(f => f.grad!).ToArray());

        double worst = 0; string worstName = "";
        int compared = 0;
        foreach (var (name, p) in model.TrainableParameters())
        {
            var expected = train[$"grad/{name}"].ToFloatArray();
            var actual = FcosParity.Floats(p.grad!);
            AssertNumpyAllClose(expected, actual, $"grad/{name}", rtol: 1e-4, atol: 1e-5);
            double w = FcosParity.AssertAllClose(expected, actual, $"grad/{name}", rtol: 1e-4, atol: 0);
            if (w > worst) (worst, worstName) = (w, name);
            compared++;
        }
        Assert.Equal(train.Keys.Count(k => k.StartsWith("grad/")), compared);
        output.WriteLine($"{compared} gradients; worst max|diff|/max|expected|: {worst:E2} ({worstName})");

        // The SGD step from these gradients: its error is lr times the gradient's (1e-4 of max|g|), plus the
        // rounding of the parameter itself (2^-22 of its magnitude).
        optimizer.Step();
        FcosParity.AssertParamsAfterStep(train, model, optimizer, rtol: Math.Pow(2, -22), atol: (_, stepScale) => stepScale * 1e-4);
    }

    [Fact]
    public void Tower_gradients_jump_when_the_golden_features_move_by_float32_noise()
    {
        using var train = Npz.Load(FcosGolden.File("train_step.npz"));
        using var inference = Npz.Load(FcosGolden.File("inference.npz"));
        var (model, head, _) = GoldenModelParts();
        using var modelScope = model;
        var golden = GoldenFeatures(inference);
        var reference = HeadGradients(model, head, golden, train);

        // Gaussian noise of 1e-6 of each map's largest magnitude: its largest values (~5e-6 of the range) are the size
        // of the measured difference between our float32 FPN outputs and the reference's (4e-6 .. 1.1e-5).
        for (int seed = 1; seed <= 3; seed++)
        {
            var generator = new Generator((ulong)seed);
            var noisy = golden.Select(g => g + randn(g.shape, generator: generator) * (1e-6 * g.abs().max().item<float>())).ToArray();
            var moved = HeadGradients(model, head, noisy, train);
            double towerJump = 0, afterLastRelu = 0;
            foreach (var (name, g) in reference)
            {
                double m = g.Max(v => Math.Abs((double)v)), d = 0;
                for (int i = 0; i < g.Length; i++) d = Math.Max(d, Math.Abs((double)moved[name][i] - g[i]));
                if (m == 0) continue;
                // Below the towers' last ReLU (tower layers 0..3 except the last GroupNorm, whose bias takes the jump
                // undivided) the jump shows; after it (cls_logits, bbox_pred, centerness, scales) gradients are
                // continuous in the features.
                bool belowLastRelu = name.Contains("_tower.") && !name.Contains("_tower.10.");
                bool afterLast = !name.Contains("_tower.");
                if (belowLastRelu) towerJump = Math.Max(towerJump, d / m);
                if (afterLast) afterLastRelu = Math.Max(afterLastRelu, d / m);
            }
            output.WriteLine($"seed {seed}: tower gradients move by {towerJump:E2}, head outputs' gradients by {afterLastRelu:E2} of their magnitude");
            Assert.True(afterLastRelu < 1e-4, $"seed {seed}: gradients after the last ReLU moved by {afterLastRelu:E2}");
            Assert.True(towerJump > 1e-3, $"seed {seed}: tower gradients moved by only {towerJump:E2}");
        }
    }

    [Fact]
    public void End_to_end_gradients_match_once_the_cls_tower_relus_decide_as_on_the_golden_features()
    {
        using var train = Npz.Load(FcosGolden.File("train_step.npz"));
        using var inference = Npz.Load(FcosGolden.File("inference.npz"));
        var (model, _, backbone) = GoldenModelParts();
        using var modelScope = model;
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        nn.Module<Tensor, Tensor> Layer(string name) => (nn.Module<Tensor, Tensor>)modules["rpn.head." + name];
        model.zero_grad();

        using var scope = NewDisposeScope();
        var golden = GoldenFeatures(inference);
        var ours = backbone.forward(train.Tensor("input/tensor"));
        // The imprv head (FcosHead.forward in train mode) from the model's own layers, except that each cls-tower ReLU
        // passes gradient where the same ReLU does on the golden features.
        var head = new FcosHeadOutput(new Tensor[5], new Tensor[5], new Tensor[5]);
        int differing = 0; double largestDiffering = 0;
        for (int l = 0; l < 5; l++)
        {
            Tensor onGolden = golden[l], x = ours[l];
            for (int i = 0; i < 12; i++)
            {
                using (no_grad()) onGolden = Layer($"cls_tower.{i}").forward(onGolden);
                if (i % 3 != 2) { x = Layer($"cls_tower.{i}").forward(x); continue; }
                using (no_grad())
                {
                    var differs = onGolden.gt(0).logical_xor(x.gt(0));
                    differing += (int)differs.sum().item<long>();
                    if (differs.any().item<bool>())
                        largestDiffering = Math.Max(largestDiffering, (x.abs() * differs).max().item<float>() / x.abs().max().item<float>());
                }
                x = x * onGolden.gt(0).to_type(x.dtype);
            }
            head.BoxCls[l] = Layer("cls_logits").forward(x);
            var boxTower = Layer("bbox_tower").forward(ours[l]);
            head.BoxRegression[l] = nn.functional.relu(Layer($"scales.{l}").forward(Layer("bbox_pred").forward(boxTower)));
            head.Centerness[l] = Layer("centerness").forward(boxTower);
        }
        output.WriteLine($"{differing} cls-tower ReLU decisions differ, inputs within {largestDiffering:E2} of their map's magnitude of zero");
        Assert.InRange(differing, 0, 10);
        Assert.True(largestDiffering < 1e-5, $"a differing ReLU input is {largestDiffering:E2} of its map's magnitude away from zero");
        TotalLoss(model, head, train).backward();

        double worst = 0; string worstName = "";
        foreach (var (name, p) in model.TrainableParameters())
        {
            var expected = train[$"grad/{name}"].ToFloatArray();
            var actual = FcosParity.Floats(p.grad!);
            // The ResNet runs on our own float32 forward here, whose rounding differs from the reference's by ~1e-5 of
            // a map's magnitude (gradients up to ~1.5 in layer2), so the map-relative form of the tolerance applies.
            double w = FcosParity.AssertAllClose(expected, actual, $"grad/{name}", rtol: 1e-4, atol: 0);
            if (w > worst) (worst, worstName) = (w, name);
        }
        output.WriteLine($"worst max|diff|/max|expected|: {worst:E2} ({worstName})");
    }

    /// <summary>The head's parameter gradients for <paramref name="features"/> (zeroed first).</summary>
    private static Dictionary<string, float[]> HeadGradients(FcosModel model, FcosHead head, Tensor[] features, Npz train)
    {
        using var scope = NewDisposeScope();
        model.zero_grad();
        using (var headOut = head.forward(features))
            TotalLoss(model, headOut, train).backward();
        return model.TrainableParameters().Where(p => p.Name.StartsWith("rpn.head.")).ToDictionary(p => p.Name, p => FcosParity.Floats(p.Parameter.grad!));
    }
}
