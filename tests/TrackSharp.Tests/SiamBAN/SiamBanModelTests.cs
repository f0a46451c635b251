using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Trackers.SiamBAN;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.SiamBAN;

/// <summary>The SiamBAN network against golden/siamban_small (weights.pth, weights_module.pth, forward.npz, meta.json).</summary>
public class SiamBanModelTests
{
    private static string Folder => Path.Combine(TestPaths.Shared, "golden", "siamban_small");
    private static string File_(string name) => Path.Combine(Folder, name);

    /// <summary>The golden small config, written out (config.yaml: resnet50_narrow width 4, neck [32,64,128] -> 32, weighted MultiBAN).</summary>
    private static readonly SiamBanModelOptions Small = new()
    {
        BackboneType = "resnet50_narrow",
        UsedLayers = new[] { 2, 3, 4 },
        BackboneWidth = 4,
        AdjustInChannels = new[] { 32, 64, 128 },
        AdjustOutChannels = new[] { 32, 32, 32 },
        BanInChannels = new[] { 32, 32, 32 },
        ClsOutChannels = 2,
        Weighted = true,
    };

    private readonly ITestOutputHelper _output;
    public SiamBanModelTests(ITestOutputHelper output) => _output = output;

    private static Dictionary<string, string> MetaShapes()
    {
        var meta = JsonDocument.Parse(File.ReadAllText(File_("meta.json"))).RootElement;
        return meta.GetProperty("weights").GetProperty("tensors").EnumerateArray().ToDictionary(
            e => e[0].GetString()!, e => string.Join("x", e[1].EnumerateArray().Select(d => d.GetInt64())));
    }

    [Fact]
    public void OptionsFromTheGoldenConfigYaml()
    {
        var config = ConfigLoader.Load(ConfigFamily.SiamBan, File_("config.yaml"));
        var options = SiamBanModelOptions.FromConfig(config);
        Assert.Equal(Small.BackboneType, options.BackboneType);
        Assert.Equal(Small.UsedLayers, options.UsedLayers);
        Assert.Equal(Small.BackboneWidth, options.BackboneWidth);
        Assert.Equal(Small.AdjustInChannels, options.AdjustInChannels);
        Assert.Equal(Small.AdjustOutChannels, options.AdjustOutChannels);
        Assert.Equal(Small.BanInChannels, options.BanInChannels);
        Assert.Equal(Small.ClsOutChannels, options.ClsOutChannels);
        Assert.Equal(Small.Weighted, options.Weighted);
    }

    [Fact]
    public void StateDictNamesAndShapesEqualMetaJson()
    {
        var expected = MetaShapes();
        using var model = new SiamBanModel(Small);
        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => string.Join("x", kv.Value.shape));
        Assert.Equal(459, expected.Count);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, shape) in expected)
            Assert.True(shape == actual[name], $"meta.json weights/tensors {name}: model {actual[name]} vs golden {shape}");
    }

    [Fact]
    public void FullSizeR50L234HasTheReferenceLayout()
    {
        // README: ResNet-50 with 3x3 down-sampling convs 45.5 M backbone parameters, 53.9 M in total; meta.json
        // r50_layout_check: 318 backbone state_dict keys.
        using var model = new SiamBanModel(SiamBanModelOptions.R50L234);
        var backboneKeys = model.state_dict().Keys.Count(k => k.StartsWith("backbone."));
        Assert.Equal(318, backboneKeys);
        long backbone = model.Backbone.parameters().Sum(p => p.numel());
        long total = model.parameters().Sum(p => p.numel());
        Assert.InRange(backbone / 1e6, 45.45, 45.55);
        Assert.InRange(total / 1e6, 53.85, 53.95);
    }

    [Theory]
    [InlineData("weights.pth", false)]
    [InlineData("weights_module.pth", true)]
    public void GoldenWeightFilesHaveExactlyTheModelsKeys(string file, bool prefixed)
    {
        using (var raw = StateDict.Load(File_(file), stripModulePrefix: false))
            Assert.True(raw.Keys.All(k => k.StartsWith("module.") == prefixed),
                $"{file}: keys {(prefixed ? "lack" : "carry")} the 'module.' prefix");
        using var stateDict = StateDict.Load(File_(file));
        Assert.Equal(prefixed, stateDict.ModulePrefixRemoved);
        using var model = new SiamBanModel(Small);
        var report = stateDict.Compare(model);
        Assert.True(report.Missing.Count == 0, $"{file}: missing {string.Join(", ", report.Missing)}");
        Assert.True(report.Unexpected.Count == 0, $"{file}: unexpected {string.Join(", ", report.Unexpected)}");
        Assert.True(report.ShapeMismatched.Count == 0, $"{file}: shape mismatches {string.Join("; ", report.ShapeMismatched)}");
        Assert.Equal(459, report.Matched.Count);
    }

    [Fact]
    public void BothWeightFilesLoadTheSameTensors()
    {
        using var a = SiamBanFactory.LoadModel(File_("weights.pth"), Small);
        using var b = SiamBanFactory.LoadModel(File_("weights_module.pth"), Small);
        var sb = b.state_dict();
        foreach (var (name, t) in a.state_dict())
            Assert.True(t.eq(sb[name]).all().item<bool>(), $"weights.pth vs weights_module.pth differ at {name}");
    }

    [Fact]
    public void LoadingAMismatchedConfigNamesTheKeys()
    {
        var wrong = Small with { Weighted = false };
        var ex = Assert.Throws<CheckpointMismatchException>(() => SiamBanFactory.LoadModel(File_("weights.pth"), wrong));
        Assert.Contains("head.cls_weight", ex.Message);
    }

    [Fact]
    public void ForwardReproducesEveryGoldenKeyOfForwardNpz()
    {
        const string file = "forward.npz";
        const double tol = 1e-4;
        using var npz = Npz.Load(File_(file));
        using var model = SiamBanFactory.LoadModel(File_("weights.pth"), Small);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();

        Tensor Input(string key) => npz.Tensor(key).permute(0, 3, 1, 2).to(ScalarType.Float32);
        var z = Input("z_input_hwc_bgr");
        var x = Input("x_input_hwc_bgr");
        var checkedKeys = new List<string>();
        void Check(string key, Tensor actual)
        {
            var golden = npz[key];
            Assert.True(golden.Shape.SequenceEqual(actual.shape),
                $"{file} {key}: shape [{string.Join(", ", actual.shape)}] vs golden [{string.Join(", ", golden.Shape)}]");
            var expected = golden.ToFloatArray();
            var got = actual.contiguous().to(ScalarType.Float32).data<float>().ToArray();
            double err = Tolerance.MaxMixedError(expected, got);
            _output.WriteLine($"{file} {key}: max mixed error {err:E2}");
            Tolerance.AssertClose(expected, got, tol, $"{file} {key}");
            checkedKeys.Add(key);
        }
        void CheckStats(string key, Tensor batch)
        {
            // [mean, std (population), min, max, sum|x|] per batch item, float64.
            var golden = npz[key].ToDoubleArray();
            var b = batch.to(ScalarType.Float64);
            var got = new List<double>();
            for (int i = 0; i < b.shape[0]; i++)
            {
                var item = b[i];
                got.AddRange(new[]
                {
                    item.mean().item<double>(), item.std(unbiased: false).item<double>(), item.min().item<double>(),
                    item.max().item<double>(), item.abs().sum().item<double>(),
                });
            }
            double worst = golden.Select((g, i) => Math.Abs(got[i] - g) / Math.Max(1.0, Math.Abs(g))).Max();
            _output.WriteLine($"{file} {key}: max mixed error {worst:E2}");
            Tolerance.AssertClose(golden, got, tol, $"{file} {key}");
            checkedKeys.Add(key);
        }

        var bz = model.Backbone.forward(z);
        var bx = model.Backbone.forward(x);
        var nz = model.Neck!.forward(bz);
        var nx = model.Neck!.forward(bx);
        for (int i = 0; i < 3; i++)
        {
            int level = i + 2;
            Check($"backbone_z_l{level}_item0", bz[i].narrow(0, 0, 1));
            Check($"backbone_x_l{level}_item0", bx[i].narrow(0, 0, 1));
            CheckStats($"backbone_z_l{level}_stats", bz[i]);
            CheckStats($"backbone_x_l{level}_stats", bx[i]);
            Check($"neck_z_l{level}", nz[i]);
            Check($"neck_x_l{level}_item0", nx[i].narrow(0, 0, 1));
            CheckStats($"neck_x_l{level}_stats", nx[i]);
        }

        var levels = model.Head.ForwardLevels(nz, nx);
        for (int i = 0; i < 3; i++)
        {
            Check($"head_box{i + 2}_cls", levels[i].Cls);
            Check($"head_box{i + 2}_loc_raw", levels[i].LocRaw);
        }
        var (cw, lw) = model.Head.FusionWeights();
        Check("cls_weight_softmax", cw);
        Check("loc_weight_softmax", lw);
        var (cls, loc) = model.Head.Fuse(levels);
        Check("fused_cls", cls);
        Check("fused_loc", loc);
        foreach (var level in levels) level.Dispose();

        // The whole model in one call gives the same fused outputs.
        var (cls2, loc2) = model.forward(z, x);
        Check("fused_cls", cls2);
        Check("fused_loc", loc2);

        var unchecked_ = npz.Keys.Except(checkedKeys).Except(new[] { "z_input_hwc_bgr", "x_input_hwc_bgr" }).ToList();
        Assert.True(unchecked_.Count == 0, $"{file}: keys not checked: {string.Join(", ", unchecked_)}");
    }
}
