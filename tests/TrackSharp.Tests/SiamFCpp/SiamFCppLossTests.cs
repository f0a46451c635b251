using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Trackers.SiamFCpp;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace TrackSharp.Tests.SiamFCpp;

/// <summary>Golden train_step.npz and meta.json["train_step"] of golden/siamfcpp_small.</summary>
internal static class SiamFCppTrainStepGolden
{
    public static string StepPath => Path.Combine(SiamFCppForwardFixture.Folder, "train_step.npz");

    public static JsonElement Meta()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SiamFCppForwardFixture.Folder, "meta.json")));
        return doc.RootElement.GetProperty("train_step").Clone();
    }

    /// <summary>Tensor-relative error max|a − e| / max|e| (gradients span many magnitudes, so a per-element
    /// relative error is meaningless near zero and an absolute floor of 1 would be too loose).</summary>
    public static double RelativeMaxError(float[] expected, float[] actual, string what)
    {
        if (expected.Length != actual.Length) throw new XunitException($"{what}: length {actual.Length} != expected {expected.Length}");
        double maxErr = 0, maxRef = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (!float.IsFinite(actual[i])) throw new XunitException($"{what}[{i}] is {actual[i]}");
            maxErr = Math.Max(maxErr, Math.Abs((double)actual[i] - expected[i]));
            maxRef = Math.Max(maxRef, Math.Abs((double)expected[i]));
        }
        return maxRef == 0 ? maxErr : maxErr / maxRef;
    }

    public static float[] Values(Tensor t) => t.detach().contiguous().to(CPU).data<float>().ToArray();

    public static void AssertScalar(double expected, Tensor actual, double rtol, string what, ITestOutputHelper output)
    {
        double ours = actual.to_type(ScalarType.Float64).item<double>();
        double err = Math.Abs(ours - expected) / Math.Max(Math.Abs(expected), 1e-12);
        output.WriteLine($"{what}: {ours:R} vs {expected:R} (rel {err:E2})");
        Assert.True(err <= rtol, $"{what}: {ours:R} vs golden {expected:R} (relative error {err:E3} > {rtol:E1})");
    }
}

/// <summary>
/// The SiamFC++ losses on the golden predictions and targets (train_step.npz pred/*, batch/*): values against
/// meta.json train_step.loss_modules / losses / total_loss, gradients against loss_grad/&lt;LossClass&gt;/&lt;k&gt; and
/// dtotal_dpred/&lt;k&gt;, each within 1e-4 (tensor-relative).
/// </summary>
public class SiamFCppLossTests(ITestOutputHelper output)
{
    private const double Tol = 1e-4;

    private sealed class Batch : IDisposable
    {
        public required Tensor Cls, Ctr, Box, ClsGt, CtrGt, BoxGt;

        public static Batch Load(Npz g) => new()
        {
            Cls = g.Tensor("pred/cls_pred").requires_grad_(true),
            Ctr = g.Tensor("pred/ctr_pred").requires_grad_(true),
            Box = g.Tensor("pred/box_pred").requires_grad_(true),
            ClsGt = g.Tensor("batch/cls_gt"),
            CtrGt = g.Tensor("batch/ctr_gt"),
            BoxGt = g.Tensor("batch/box_gt"),
        };

        public void Dispose()
        {
            foreach (var t in new[] { Cls, Ctr, Box, ClsGt, CtrGt, BoxGt }) t.Dispose();
        }
    }

    private void AssertGrad(Npz golden, string key, Tensor pred)
    {
        Assert.NotNull(pred.grad);
        Assert.True(golden[key].Shape.SequenceEqual(pred.shape), $"train_step.npz/{key}: shape mismatch");
        double err = SiamFCppTrainStepGolden.RelativeMaxError(golden[key].ToFloatArray(), SiamFCppTrainStepGolden.Values(pred.grad!), key);
        output.WriteLine($"train_step.npz/{key}: relative max error {err:E2}");
        Assert.True(err <= Tol, $"train_step.npz/{key}: relative max error {err:E3} > {Tol:E1}");
    }

    [Theory]
    [InlineData("FocalLoss")]
    [InlineData("SigmoidCrossEntropyRetina")]
    [InlineData("SigmoidCrossEntropyCenterness")]
    [InlineData("IOULoss")]
    public void EachLossModuleMatchesItsValueAndGradient(string module)
    {
        using var golden = Npz.Load(SiamFCppTrainStepGolden.StepPath);
        var meta = SiamFCppTrainStepGolden.Meta().GetProperty("loss_modules").GetProperty(module);
        var hps = meta.GetProperty("hps");
        double weight = hps.GetProperty("weight").GetDouble();
        using var scope = NewDisposeScope();
        using var b = Batch.Load(golden);
        Tensor loss, pred;
        string gradKey;
        switch (module)
        {
            case "FocalLoss":
                loss = SiamFCppLoss.FocalLoss(b.Cls, b.ClsGt, hps.GetProperty("alpha").GetDouble(), hps.GetProperty("gamma").GetDouble(), weight);
                (pred, gradKey) = (b.Cls, "cls_pred");
                break;
            case "SigmoidCrossEntropyRetina":
                loss = SiamFCppLoss.SigmoidCrossEntropyRetina(b.Cls, b.ClsGt, hps.GetProperty("alpha").GetDouble(), hps.GetProperty("gamma").GetDouble(), weight);
                (pred, gradKey) = (b.Cls, "cls_pred");
                break;
            case "SigmoidCrossEntropyCenterness":
                loss = SiamFCppLoss.CenternessLoss(b.Ctr, b.CtrGt, weight);
                (pred, gradKey) = (b.Ctr, "ctr_pred");
                break;
            default:
                Tensor iou;
                (loss, iou) = SiamFCppLoss.IouLoss(b.Box, b.BoxGt, b.ClsGt, weight);
                SiamFCppTrainStepGolden.AssertScalar(meta.GetProperty("extra").GetProperty("iou").GetDouble(), iou, 1e-5,
                    $"meta.json train_step.loss_modules.{module}.extra.iou", output);
                Assert.False(iou.requires_grad);
                (pred, gradKey) = (b.Box, "box_pred");
                break;
        }
        SiamFCppTrainStepGolden.AssertScalar(meta.GetProperty("value").GetDouble(), loss, 1e-5,
            $"meta.json train_step.loss_modules.{module}.value", output);
        loss.backward();
        AssertGrad(golden, $"loss_grad/{module}/{gradKey}", pred);
    }

    [Fact]
    public void TotalLossAndItsGradientsMatchTheReference()
    {
        using var golden = Npz.Load(SiamFCppTrainStepGolden.StepPath);
        var meta = SiamFCppTrainStepGolden.Meta();
        using var scope = NewDisposeScope();
        using var b = Batch.Load(golden);
        using var losses = SiamFCppLoss.Compute(b.Cls, b.Ctr, b.Box, b.ClsGt, b.CtrGt, b.BoxGt);
        var expected = meta.GetProperty("losses");
        SiamFCppTrainStepGolden.AssertScalar(expected.GetProperty("cls").GetDouble(), losses.Cls, 1e-5, "meta.json train_step.losses.cls", output);
        SiamFCppTrainStepGolden.AssertScalar(expected.GetProperty("ctr").GetDouble(), losses.Ctr, 1e-5, "meta.json train_step.losses.ctr", output);
        SiamFCppTrainStepGolden.AssertScalar(expected.GetProperty("reg").GetDouble(), losses.Reg, 1e-5, "meta.json train_step.losses.reg", output);
        SiamFCppTrainStepGolden.AssertScalar(meta.GetProperty("total_loss").GetDouble(), losses.Total, 1e-5, "meta.json train_step.total_loss", output);
        SiamFCppTrainStepGolden.AssertScalar(meta.GetProperty("extras").GetProperty("reg").GetProperty("iou").GetDouble(), losses.Iou, 1e-5,
            "meta.json train_step.extras.reg.iou", output);
        losses.Total.backward();
        AssertGrad(golden, "dtotal_dpred/cls_pred", b.Cls);
        AssertGrad(golden, "dtotal_dpred/ctr_pred", b.Ctr);
        AssertGrad(golden, "dtotal_dpred/box_pred", b.Box);
    }

    [Fact]
    public void IgnoredAndBackgroundPointsFollowTheReferenceRules()
    {
        // Hand-computed: one positive point (logit 0, label 1), one background (logit 0), one ignored (logit 5).
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0, 0, 5 }, new long[] { 1, 3, 1 });
        var labels = tensor(new float[] { 1, 0, -1 }, new long[] { 1, 3, 1 });
        // BCE(0, t) = ln 2, (1 - p_t)^2 = 1/4; alpha_t = 0.25 (pos), 0.75 (neg); / 1 positive.
        double expected = Math.Log(2) * 0.25 * (0.25 + 0.75);
        Assert.Equal(expected, SiamFCppLoss.FocalLoss(logits, labels).item<float>(), 6);
        Assert.Equal(expected, SiamFCppLoss.SigmoidCrossEntropyRetina(logits, labels).item<float>(), 6);
        // Centerness: zero at logit(c), targets equal to 0 are skipped, target 1 gives no NaN.
        var c = tensor(new float[] { 0.25f, 0f, 1f }, new long[] { 1, 3, 1 });
        var x = tensor(new float[] { (float)Math.Log(0.25 / 0.75), 3f, 40f }, new long[] { 1, 3, 1 });
        Assert.Equal(0.0, SiamFCppLoss.CenternessLoss(x, c).item<float>(), 6);
        // IoU: a box against itself has IoU 1, loss 0; a disjoint box hits the log floor.
        var box = tensor(new float[] { 10, 10, 20, 20, 0, 0, 5, 5 }, new long[] { 1, 2, 4 });
        var gt = tensor(new float[] { 10, 10, 20, 20, 30, 30, 40, 40 }, new long[] { 1, 2, 4 });
        var (loss1, iou1) = SiamFCppLoss.IouLoss(box.narrow(1, 0, 1), gt.narrow(1, 0, 1), tensor(new float[] { 1 }, new long[] { 1, 1, 1 }), weight: 1);
        Assert.Equal(0.0, loss1.item<float>(), 6);
        Assert.Equal(1.0, iou1.item<float>(), 6);
        var (loss2, _) = SiamFCppLoss.IouLoss(box.narrow(1, 1, 1), gt.narrow(1, 1, 1), tensor(new float[] { 1 }, new long[] { 1, 1, 1 }), weight: 1);
        Assert.Equal(-Math.Log(SiamFCppLoss.FloatTiny), loss2.item<float>(), 3);
    }
}
