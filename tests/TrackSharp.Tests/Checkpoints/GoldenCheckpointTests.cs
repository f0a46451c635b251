using System.Text.Json;
using TorchSharp;
using TrackSharp.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Checkpoints;

/// <summary>Every .pth in ../shared, checked against the golden npz / json files written by PyTorch.</summary>
public class GoldenCheckpointTests
{
    private static string Shared(string relative) => Path.Combine(TestPaths.Shared, relative);

    public static TheoryData<string> AllPthFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(TestPaths.Shared, "*.pth", SearchOption.AllDirectories).Order())
            data.Add(Path.GetRelativePath(TestPaths.Shared, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPthFiles))]
    public void EveryPthInShared_LoadsWithAStateDict(string relative)
    {
        using var ckpt = TorchCheckpoint.Load(Shared(relative));
        Assert.IsType<OrderedDictionary<string, object?>>(ckpt.Root);
        using var sd = StateDict.FromCheckpoint(ckpt);
        Assert.True(sd.Count > 0);
        foreach (var (name, t) in sd)
        {
            Assert.True(t.is_contiguous(), name);
            Assert.Equal(DeviceType.CPU, t.device_type);
            Assert.Contains(t.dtype, new[] { ScalarType.Float32, ScalarType.Int64 });
        }
    }

    /// <summary>Golden: ostrack_small/weights.npz (the 146 state-dict tensors as PyTorch read them) and weights.json
    /// (names, shapes, dtypes in state-dict order). pos_embed_z / pos_embed_x are stored non-contiguous.</summary>
    [Fact]
    public void OSTrackWeights_AllTensorsBitExactAgainstWeightsNpz()
    {
        using var sd = StateDict.Load(Shared("golden/ostrack_small/weights.pth"));
        using var npz = Npz.Load(Shared("golden/ostrack_small/weights.npz"));
        using var json = JsonDocument.Parse(File.ReadAllText(Shared("golden/ostrack_small/weights.json")));
        var expected = json.RootElement.GetProperty("state_dict").EnumerateArray().ToList();

        Assert.Equal(146, expected.Count);
        Assert.Equal(expected.Select(e => e.GetProperty("name").GetString()), sd.Keys);
        Assert.Equal("", sd.KeyPath);
        foreach (var e in expected)
        {
            string name = e.GetProperty("name").GetString()!;
            var t = sd[name];
            Assert.Equal(e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()), t.shape);
            Assert.Equal(e.GetProperty("dtype").GetString(), "torch." + TorchName(t.dtype));
            AssertBitExact(npz[name], t, name);
        }
        Assert.Equal(146, npz.Keys.Count);
    }

    /// <summary>Golden: ostrack_small/checkpoint.pth 'net' = train_step.npz param_after/* + buffer_after/* (README §4);
    /// the trainer fields and the AdamW state layout are as README §4 lists them.</summary>
    [Fact]
    public void OSTrackTrainerCheckpoint_NetEqualsTrainStepAfterAndOptimizerStateIsReadable()
    {
        using var ckpt = TorchCheckpoint.Load(Shared("golden/ostrack_small/checkpoint.pth"));
        var root = (OrderedDictionary<string, object?>)ckpt.Root!;
        Assert.Equal(4L, root["epoch"]);
        Assert.Equal("OSTrackActor", root["actor_type"]);
        Assert.Equal("OSTrack", root["net_type"]);
        Assert.Null(root["net_info"]);
        Assert.Null(root["constructor"]);

        using var sd = StateDict.FromCheckpoint(ckpt);
        Assert.Equal("net", sd.KeyPath);
        Assert.Equal(146, sd.Count);
        using var npz = Npz.Load(Shared("golden/ostrack_small/train_step.npz"));
        int compared = 0;
        foreach (var (name, t) in sd)
        {
            var golden = npz.ContainsKey("param_after/" + name) ? npz["param_after/" + name] : npz["buffer_after/" + name];
            AssertBitExact(golden, t, name);
            compared++;
        }
        Assert.Equal(110 + 36, compared);

        // AdamW: group lrs from train_step.json, per-param state {step (0-d float 1.0), exp_avg, exp_avg_sq};
        // 110 params, cls_token / pos_embed without state.
        using var json = JsonDocument.Parse(File.ReadAllText(Shared("golden/ostrack_small/train_step.json")));
        var lrs = json.RootElement.GetProperty("optimizer").GetProperty("lr_per_group").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(lrs[0], ckpt.Get("optimizer/param_groups/0/lr"));
        Assert.Equal(lrs[1], ckpt.Get("optimizer/param_groups/1/lr"));
        var state = (OrderedDictionary<string, object?>)ckpt.Get("optimizer/state")!;
        Assert.Equal(108, state.Count);
        foreach (var (_, v) in state)
        {
            var entry = (OrderedDictionary<string, object?>)v!;
            var step = Assert.IsAssignableFrom<Tensor>(entry["step"]);
            Assert.Empty(step.shape);
            Assert.Equal(1.0f, step.item<float>());
            Assert.IsAssignableFrom<Tensor>(entry["exp_avg"]);
            Assert.IsAssignableFrom<Tensor>(entry["exp_avg_sq"]);
        }
        var betas = Assert.IsType<object?[]>(ckpt.Get("optimizer/param_groups/0/betas"));
        Assert.Equal(new object?[] { 0.9, 0.999 }, betas);
    }

    /// <summary>Golden: weights/nanotrack/layout.json (names / shapes / dtypes of every tensor in order, checkpoint
    /// keys, epoch, the optimizer's numpy.float64 lrs) for the three official NanoTrack checkpoints.</summary>
    [Theory]
    [InlineData("nanotrackv1.pth")]
    [InlineData("nanotrackv2.pth")]
    [InlineData("nanotrackv3.pth")]
    public void NanoTrackOfficialCheckpoints_MatchLayoutJsonIncludingNumpyScalarLrs(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Shared("weights/nanotrack/layout.json")));
        var layout = json.RootElement.GetProperty("files").GetProperty(file);
        using var ckpt = TorchCheckpoint.Load(Shared("weights/nanotrack/" + file));
        var root = (OrderedDictionary<string, object?>)ckpt.Root!;

        Assert.Equal(layout.GetProperty("checkpoint_keys").EnumerateArray().Select(x => x.GetString()), root.Keys);
        Assert.Equal(layout.GetProperty("epoch").GetInt64(), root["epoch"]);
        var lrs = layout.GetProperty("optimizer_param_group_lrs").EnumerateArray().Select(x => x.GetDouble()).ToList();
        var groups = (List<object?>)ckpt.Get("optimizer/param_groups")!;
        Assert.Equal(lrs.Count, groups.Count);
        for (int i = 0; i < lrs.Count; i++)
        {
            // numpy.float64 in the pickle -> C# double, bit for bit
            var lr = Assert.IsType<double>(ckpt.Get($"optimizer/param_groups/{i}/lr"));
            Assert.Equal(BitConverter.DoubleToInt64Bits(lrs[i]), BitConverter.DoubleToInt64Bits(lr));
        }

        using var sd = StateDict.FromCheckpoint(ckpt);
        Assert.Equal("state_dict", sd.KeyPath);
        Assert.False(sd.ModulePrefixRemoved);
        var tensors = layout.GetProperty("tensors").EnumerateArray().ToList();
        Assert.Equal(layout.GetProperty("num_tensors").GetInt32(), sd.Count);
        Assert.Equal(tensors.Select(t => t[0].GetString()), sd.Keys);
        foreach (var t in tensors)
        {
            var tensor = sd[t[0].GetString()!];
            Assert.Equal(t[1].EnumerateArray().Select(x => x.GetInt64()), tensor.shape);
            Assert.Equal(t[2].GetString(), TorchName(tensor.dtype));
        }
        Assert.Equal(layout.GetProperty("num_float_params").GetInt64(),
            sd.Values.Where(t => t.dtype == ScalarType.Float32).Sum(t => t.numel()));
    }

    /// <summary>Golden: siamban_small README (weights_module.pth = weights.pth with every key prefixed 'module.'),
    /// meta.json weights.tensors (names/shapes/dtypes), train_step.npz a/param_names (named_parameters order).</summary>
    [Fact]
    public void SiamBANModulePrefixedCheckpoint_EqualsPlainOneAfterPrefixRemoval()
    {
        using var plain = StateDict.Load(Shared("golden/siamban_small/weights.pth"));
        using var prefixed = StateDict.Load(Shared("golden/siamban_small/weights_module.pth"));
        Assert.False(plain.ModulePrefixRemoved);
        Assert.True(prefixed.ModulePrefixRemoved);
        Assert.Equal(plain.Keys, prefixed.Keys);
        foreach (var (name, t) in plain)
            Assert.True(t.bytes.SequenceEqual(prefixed[name].bytes), name);

        using var raw = TorchCheckpoint.Load(Shared("golden/siamban_small/weights_module.pth"));
        Assert.All(((OrderedDictionary<string, object?>)raw.Root!).Keys, k => Assert.StartsWith("module.", k));

        using var meta = JsonDocument.Parse(File.ReadAllText(Shared("golden/siamban_small/meta.json")));
        var weights = meta.RootElement.GetProperty("weights");
        var tensors = weights.GetProperty("tensors").EnumerateArray().ToList();
        Assert.Equal(459, tensors.Count);
        Assert.Equal(tensors.Select(t => t[0].GetString()), plain.Keys);
        foreach (var t in tensors)
        {
            Assert.Equal(t[1].EnumerateArray().Select(x => x.GetInt64()), plain[t[0].GetString()!].shape);
            Assert.Equal(t[2].GetString(), TorchName(plain[t[0].GetString()!].dtype));
        }
        using var npz = Npz.Load(Shared("golden/siamban_small/train_step.npz"));
        var paramNames = npz["a/param_names"].ToStringArray();
        Assert.Equal(paramNames, plain.Keys.Where(k => !IsBnBuffer(k)));
        Assert.Equal(weights.GetProperty("num_params").GetInt64(), paramNames.Sum(n => plain[n].numel()));
    }

    /// <summary>Golden: trdimp_small README (ltr checkpoint: 'net' + plain 'constructor' dict, epoch 0, tied
    /// self_attn weights of encoder/decoder layer 0) and model_config.json state_dict_numel.</summary>
    [Fact]
    public void TrDiMPCheckpoint_NetUnderKeyAndTiedWeightsShareValues()
    {
        using var ckpt = TorchCheckpoint.Load(Shared("golden/trdimp_small/weights.pth"));
        Assert.Equal(0L, ckpt.Get("epoch"));
        Assert.Equal("KLDiMPActor", ckpt.Get("actor_type"));
        Assert.Equal("DiMPnet", ckpt.Get("net_type"));
        Assert.IsType<OrderedDictionary<string, object?>>(ckpt.Get("constructor"));
        Assert.IsType<string>(ckpt.Get("constructor/fun_name"));

        using var sd = StateDict.FromCheckpoint(ckpt, "net");
        using var cfg = JsonDocument.Parse(File.ReadAllText(Shared("golden/trdimp_small/model_config.json")));
        Assert.Equal(long.Parse(cfg.RootElement.GetProperty("state_dict_numel").ToString()), sd.NumElements);

        var enc = sd.Keys.Where(k => k.StartsWith("classifier.transformer.encoder.layers.0.self_attn.")).ToList();
        Assert.NotEmpty(enc);
        foreach (var k in enc)
        {
            var dec = k.Replace(".encoder.", ".decoder.");
            Assert.True(sd[k].bytes.SequenceEqual(sd[dec].bytes), k);
            Assert.NotEqual(sd[k].Handle, sd[dec].Handle); // separate tensors, each owning its memory
        }
    }

    /// <summary>Golden: fcos_small and siamfcpp_small READMEs (plain state dicts; float32 with int64
    /// num_batches_tracked).</summary>
    [Theory]
    [InlineData("golden/fcos_small/weights.pth", 324, "backbone.body.stem.conv1.weight")]
    [InlineData("golden/siamfcpp_small/weights.pth", 108, "basemodel.conv1.conv.weight")]
    public void PlainStateDicts_HaveReferenceNamesAndDtypes(string relative, int count, string firstKey)
    {
        using var sd = StateDict.Load(Shared(relative));
        Assert.Equal(count, sd.Count);
        Assert.Equal(firstKey, sd.Keys.First());
        foreach (var (name, t) in sd)
            Assert.Equal(name.EndsWith("num_batches_tracked") ? ScalarType.Int64 : ScalarType.Float32, t.dtype);
    }

    /// <summary>PyBridge registers its own constructors in Razorvine's global registry; our loads must not break it
    /// (and it must not break ours). PyBridge reads the SiamBAN file per DESIGN.md.</summary>
    [Fact]
    public void PyBridgeStillWorks_BeforeAndAfterOurLoads()
    {
        string siamban = Shared("golden/siamban_small/weights.pth");
        using (var before = TorchCheckpoint.Load(Shared("weights/nanotrack/nanotrackv1.pth")))
            Assert.Equal(363, before.Tensors.Count);
        var py = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(siamban);
        Assert.Equal(459, py.Count);
        using var after = StateDict.Load(Shared("weights/nanotrack/nanotrackv2.pth"));
        Assert.Equal(298, after.Count);
        Assert.Equal(459, TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(siamban).Count);
    }

    internal static bool IsBnBuffer(string k) =>
        k.EndsWith(".running_mean") || k.EndsWith(".running_var") || k.EndsWith(".num_batches_tracked");

    internal static string TorchName(ScalarType t) => t switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        ScalarType.Bool => "bool",
        ScalarType.Byte => "uint8",
        _ => t.ToString(),
    };

    internal static void AssertBitExact(NpyArray golden, Tensor t, string name)
    {
        Assert.True(golden.Shape.SequenceEqual(t.shape), $"{name}: shape [{string.Join(",", golden.Shape)}] vs [{string.Join(",", t.shape)}]");
        Assert.Equal(golden.TorchDType, t.dtype);
        Assert.True(golden.Data.AsSpan().SequenceEqual(t.bytes), $"{name}: values differ from the golden npz");
    }
}
