using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Detection.Fcos;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Detection;

/// <summary>Helpers shared by the FCOS model / loss parity tests: the golden model and allclose.</summary>
internal static class FcosParity
{
    /// <summary>The golden config's model with golden/fcos_small/weights.pth loaded strictly.</summary>
    public static FcosModel LoadGoldenModel(string? configFile = null)
    {
        var cfg = ConfigFamily.MaskRcnnBenchmark.Load(configFile ?? FcosGolden.File("config.yaml"));
        var model = new FcosModel(FcosModelOptions.FromConfig(cfg));
        model.LoadWeights(FcosGolden.File("weights.pth"));
        return model;
    }

    /// <summary>
    /// Closeness relative to the map's range: |a - e| &lt;= atol + rtol * max|E| everywhere (E: the whole expected map).
    /// Float32 convolutions summed in a different order (oneDNN vs the reference's kernels) differ by a few ulps of
    /// the map's magnitude, not of each small element, so an element-wise relative test would fail on values near
    /// zero for reasons that are not errors. Returns max|a - e| / max|E|.
    /// </summary>
    public static double AssertAllClose(float[] expected, float[] actual, string what, double rtol = 1e-4, double atol = 1e-6)
    {
        if (expected.Length != actual.Length) throw new XunitException($"{what}: {actual.Length} values, expected {expected.Length}");
        double maxAbs = 0, maxDiff = 0; int at = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs((double)expected[i]));
            double d = Math.Abs((double)actual[i] - expected[i]);
            if (!(d <= maxDiff)) { maxDiff = d; at = i; }
        }
        if (!(maxDiff <= atol + rtol * maxAbs))
            throw new XunitException($"{what}: [{at}] {actual[at]} vs expected {expected[at]}: max |diff| {maxDiff:E2} > " +
                                     $"{atol:E0} + {rtol:E0} * max|expected| {maxAbs:E2}");
        return maxAbs > 0 ? maxDiff / maxAbs : maxDiff;
    }

    public static float[] Floats(Tensor t) => t.detach().contiguous().to_type(ScalarType.Float32).data<float>().ToArray();

    /// <summary>
    /// Every <c>param_after/*</c> of train_step.npz against <paramref name="model"/> after <paramref name="optimizer"/>'s
    /// step, within <paramref name="rtol"/> of the map's magnitude plus <paramref name="atol"/>(name, lr·max|golden
    /// grad|): the step moves p by −lr·(g + wd·p), so its error is lr times the gradient's. At least 30 must be checked.
    /// </summary>
    public static void AssertParamsAfterStep(Npz train, FcosModel model, FcosOptimizer optimizer, double rtol,
        Func<string, double, double> atol)
    {
        var byName = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var names = optimizer.Names.ToList();
        int checkedParams = 0;
        foreach (var key in train.Keys.Where(k => k.StartsWith("param_after/")))
        {
            string name = key["param_after/".Length..];
            double lr = optimizer.LearningRate(names.IndexOf(name));
            double maxGrad = train[$"grad/{name}"].ToFloatArray().Max(v => Math.Abs((double)v));
            AssertAllClose(train[key].ToFloatArray(), Floats(byName[name]), key, rtol, atol(name, lr * maxGrad));
            checkedParams++;
        }
        Assert.True(checkedParams >= 30, $"only {checkedParams} param_after keys");
    }
}

/// <summary>
/// The FCOS model against golden/fcos_small: weights.pth loads strictly, the eval forward of
/// train_step.npz <c>input/tensor</c> matches inference.npz (<c>fpn/P*</c>, <c>eval_box_cls</c>,
/// <c>eval_box_regression</c>, <c>eval_centerness</c>) and the train-mode head matches train_step.npz
/// <c>head/*</c>: max|diff| &lt;= 1e-4 * max|expected| per map.
/// </summary>
public class FcosModelTests
{
    private readonly ITestOutputHelper _out;
    public FcosModelTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public void Golden_weights_load_strictly_and_frozen_stages_have_no_gradient()
    {
        using var model = FcosParity.LoadGoldenModel();
        var trainable = model.TrainableParameters().Select(p => p.Name).ToList();
        Assert.DoesNotContain(trainable, n => n.StartsWith("backbone.body.stem.") || n.StartsWith("backbone.body.layer1."));
        Assert.Contains("backbone.body.layer2.0.conv1.weight", trainable);
        // meta.json train_step.param_groups has one group per trainable parameter: 101.
        Assert.Equal(101, trainable.Count);
    }

    [Fact]
    public void Eval_forward_matches_inference_npz()
    {
        using var model = FcosParity.LoadGoldenModel();
        model.eval();
        using var train = Npz.Load(FcosGolden.File("train_step.npz"));
        using var inf = Npz.Load(FcosGolden.File("inference.npz"));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var fwd = model.Forward(train.Tensor("input/tensor"));
        for (int l = 0; l < 5; l++)
        {
            string p = $"P{l + 3}";
            double w = FcosParity.AssertAllClose(inf[$"fpn/{p}"].ToFloatArray(), FcosParity.Floats(fwd.Features[l]), $"fpn/{p}");
            w = Math.Max(w, FcosParity.AssertAllClose(inf[$"eval_box_cls/{p}"].ToFloatArray(), FcosParity.Floats(fwd.Head.BoxCls[l]), $"eval_box_cls/{p}"));
            w = Math.Max(w, FcosParity.AssertAllClose(inf[$"eval_box_regression/{p}"].ToFloatArray(), FcosParity.Floats(fwd.Head.BoxRegression[l]), $"eval_box_regression/{p}"));
            w = Math.Max(w, FcosParity.AssertAllClose(inf[$"eval_centerness/{p}"].ToFloatArray(), FcosParity.Floats(fwd.Head.Centerness[l]), $"eval_centerness/{p}"));
            _out.WriteLine($"{p}: worst max|diff|/max|expected| {w:E2}");
        }
    }

    [Fact]
    public void Train_forward_matches_train_step_npz_head()
    {
        using var model = FcosParity.LoadGoldenModel();
        model.train();
        using var train = Npz.Load(FcosGolden.File("train_step.npz"));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var head = model.forward(train.Tensor("input/tensor"));
        for (int l = 0; l < 5; l++)
        {
            string p = $"P{l + 3}";
            FcosParity.AssertAllClose(train[$"head/box_cls/{p}"].ToFloatArray(), FcosParity.Floats(head.BoxCls[l]), $"head/box_cls/{p}");
            FcosParity.AssertAllClose(train[$"head/box_regression/{p}"].ToFloatArray(), FcosParity.Floats(head.BoxRegression[l]), $"head/box_regression/{p}");
            FcosParity.AssertAllClose(train[$"head/centerness/{p}"].ToFloatArray(), FcosParity.Floats(head.Centerness[l]), $"head/centerness/{p}");
        }
    }

    [Fact]
    public void R101_and_P6_from_C5_come_from_the_config()
    {
        var cfg = ConfigFamily.MaskRcnnBenchmark.Load(FcosGolden.File("config.yaml"),
            new[] { "MODEL.BACKBONE.CONV_BODY=R-101-FPN-RETINANET", "MODEL.RETINANET.USE_C5=True" });
        var o = FcosModelOptions.FromConfig(cfg);
        Assert.Equal(new[] { 3, 4, 23, 3 }, o.BlockCounts);
        Assert.True(o.P6FromC5);
        using var model = new FcosModel(o);
        var sd = model.state_dict();
        Assert.True(sd.ContainsKey("backbone.body.layer3.22.conv3.weight"));
        Assert.False(sd.ContainsKey("backbone.body.layer3.23.conv3.weight"));
        // C5 has RES2_OUT_CHANNELS * 8 = 256 channels: P6 reads C5, not the 64-channel P5.
        Assert.Equal(new long[] { 64, 256, 3, 3 }, sd["backbone.fpn.top_blocks.p6.weight"].shape);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var fwd = model.Forward(zeros(1, 3, 128, 160));
        Assert.Equal(new long[] { 1, 80, 16, 20 }, fwd.Head.BoxCls[0].shape);
        Assert.Equal(new long[] { 1, 80, 1, 2 }, fwd.Head.BoxCls[4].shape);
    }

    [Fact]
    public void Unsupported_backbone_names_its_config_key()
    {
        var cfg = ConfigFamily.MaskRcnnBenchmark.Load(FcosGolden.File("config.yaml"), new[] { "MODEL.BACKBONE.CONV_BODY=R-50-C4" });
        var e = Assert.ThrowsAny<Exception>(() => FcosModelOptions.FromConfig(cfg));
        Assert.Contains("MODEL.BACKBONE.CONV_BODY", e.Message);
        Assert.Contains("R-50-C4", e.Message);
    }
}
