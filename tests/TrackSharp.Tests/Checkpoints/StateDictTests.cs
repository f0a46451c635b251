using TorchSharp;
using TorchSharp.Modules;
using TrackSharp.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Checkpoints;

public class StateDictTests
{
    /// <summary>conv (2 -> 3, 1x1), bn (3), fc (3 -> 2): 9 state-dict entries incl. the 3 BatchNorm buffers.</summary>
    private sealed class SmallNet : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv;
        private readonly BatchNorm2d bn;
        private readonly Linear fc;

        public SmallNet() : base("SmallNet")
        {
            conv = nn.Conv2d(2, 3, 1);
            bn = nn.BatchNorm2d(3);
            fc = nn.Linear(3, 2);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => fc.forward(bn.forward(conv.forward(x)).mean(new long[] { 2, 3 }));
    }

    private static readonly string[] SmallNetKeys =
    {
        "conv.weight", "conv.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
        "fc.weight", "fc.bias",
    };

    /// <summary>A checkpoint for SmallNet with one renamed key (fc.bias -> fc.bais) and one wrong shape
    /// (fc.weight [3, 3] instead of [2, 3]); conv.bias stored as float64 to exercise dtype conversion.</summary>
    private static void WriteFlawedCheckpoint(string path)
    {
        TorchZip.WriteStateDict(path, new (string, long[], Array)[]
        {
            ("conv.weight", new long[] { 3, 2, 1, 1 }, new float[] { 1, 2, 3, 4, 5, 6 }),
            ("conv.bias", new long[] { 3 }, new double[] { 0.25, 0.5, 0.75 }),
            ("bn.weight", new long[] { 3 }, new float[] { 2, 2, 2 }),
            ("bn.bias", new long[] { 3 }, new float[] { -1, 0, 1 }),
            ("bn.running_mean", new long[] { 3 }, new float[] { 0.1f, 0.2f, 0.3f }),
            ("bn.running_var", new long[] { 3 }, new float[] { 4, 5, 6 }),
            ("bn.num_batches_tracked", Array.Empty<long>(), new long[] { 7 }),
            ("fc.weight", new long[] { 3, 3 }, new float[] { 9, 9, 9, 9, 9, 9, 9, 9, 9 }),
            ("fc.bais", new long[] { 2 }, new float[] { 1, 1 }),
        });
    }

    [Fact]
    public void ModuleStateDictIncludesParametersAndBatchNormBuffers()
    {
        using var net = new SmallNet();
        // TorchSharp lists parameters first, then buffers (PyTorch interleaves them per module): compare as sets
        Assert.Equal(SmallNetKeys.Order(), net.state_dict().Keys.Order());
    }

    [Fact]
    public void StrictLoad_ThrowsNamingFileAndKeys_AndChangesNothing()
    {
        using var dir = new TempDir();
        string path = dir.File("flawed.pth");
        WriteFlawedCheckpoint(path);
        using var net = new SmallNet();
        float[] convBefore = net.state_dict()["conv.weight"].data<float>().ToArray();

        using var sd = StateDict.Load(path);
        var e = Assert.Throws<CheckpointMismatchException>(() => sd.LoadInto(net, strict: true));

        Assert.Contains(path, e.Message);
        Assert.Contains("1 missing, 1 unexpected, 1 shape-mismatched", e.Message);
        Assert.Contains("fc.bias", e.Message);
        Assert.Contains("fc.bais", e.Message);
        Assert.Contains("fc.weight: model [2, 3], checkpoint [3, 3]", e.Message);
        Assert.Equal(new[] { "fc.bias" }, e.Report.Missing);
        Assert.Equal(new[] { "fc.bais" }, e.Report.Unexpected);
        Assert.Equal(convBefore, net.state_dict()["conv.weight"].data<float>().ToArray());
    }

    [Fact]
    public void NonStrictLoad_CopiesWhatMatches_WithDtypeConversion_AndReports()
    {
        using var dir = new TempDir();
        string path = dir.File("flawed.pth");
        WriteFlawedCheckpoint(path);
        using var net = new SmallNet();
        float[] fcBefore = net.state_dict()["fc.weight"].data<float>().ToArray();
        float[] fcBiasBefore = net.state_dict()["fc.bias"].data<float>().ToArray();

        using var sd = StateDict.Load(path);
        var report = sd.LoadInto(net, strict: false);

        Assert.Equal(new[] { "fc.bias" }, report.Missing);
        Assert.Equal(new[] { "fc.bais" }, report.Unexpected);
        var mm = Assert.Single(report.ShapeMismatched);
        Assert.Equal("fc.weight", mm.Name);
        Assert.Equal(new long[] { 2, 3 }, mm.Expected);
        Assert.Equal(new long[] { 3, 3 }, mm.Found);
        Assert.Equal(new[] { "conv.weight", "conv.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked" },
            report.Matched);
        Assert.False(report.IsExactMatch);
        Assert.Equal($"'{path}': 7 matched, 1 missing, 1 unexpected, 1 shape-mismatched", report.ToString());

        var after = net.state_dict();
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, after["conv.weight"].data<float>().ToArray());
        Assert.Equal(ScalarType.Float32, after["conv.bias"].dtype);
        Assert.Equal(new float[] { 0.25f, 0.5f, 0.75f }, after["conv.bias"].data<float>().ToArray());
        Assert.Equal(new float[] { 0.1f, 0.2f, 0.3f }, after["bn.running_mean"].data<float>().ToArray());
        Assert.Equal(new float[] { 4, 5, 6 }, after["bn.running_var"].data<float>().ToArray());
        Assert.Equal(7L, after["bn.num_batches_tracked"].item<long>());
        Assert.Equal(fcBefore, after["fc.weight"].data<float>().ToArray());
        Assert.Equal(fcBiasBefore, after["fc.bias"].data<float>().ToArray());
        Assert.True(after["conv.weight"].requires_grad);
    }

    [Fact]
    public void ExactCheckpoint_LoadsStrictly_AfterKeyRemapping()
    {
        using var dir = new TempDir();
        string path = dir.File("remap.pth");
        // reference-style names: "features.conv.*" instead of "conv.*", an extra "head_aux.*" to drop
        TorchZip.WriteStateDict(path, new (string, long[], Array)[]
        {
            ("features.conv.weight", new long[] { 3, 2, 1, 1 }, new float[] { 1, 2, 3, 4, 5, 6 }),
            ("features.conv.bias", new long[] { 3 }, new float[] { 1, 2, 3 }),
            ("bn.weight", new long[] { 3 }, new float[] { 1, 1, 1 }),
            ("bn.bias", new long[] { 3 }, new float[] { 0, 0, 0 }),
            ("bn.running_mean", new long[] { 3 }, new float[] { 0, 0, 0 }),
            ("bn.running_var", new long[] { 3 }, new float[] { 1, 1, 1 }),
            ("bn.num_batches_tracked", Array.Empty<long>(), new long[] { 0 }),
            ("classifier.weight", new long[] { 2, 3 }, new float[] { 1, 0, 0, 0, 1, 0 }),
            ("classifier.bias", new long[] { 2 }, new float[] { 0.5f, -0.5f }),
            ("head_aux.weight", new long[] { 1 }, new float[] { 0 }),
        });
        using var net = new SmallNet();
        using var sd = StateDict.Load(path);
        sd.Remap(new KeyMap().StripPrefix("features.").RenamePrefix("classifier.", "fc.").DropPrefix("head_aux."));
        Assert.Equal(SmallNetKeys, sd.Keys);

        var report = sd.LoadInto(net);
        Assert.True(report.IsExactMatch);
        Assert.Equal(9, report.Matched.Count);
        Assert.Equal(new float[] { 0.5f, -0.5f }, net.state_dict()["fc.bias"].data<float>().ToArray());
    }

    [Fact]
    public void KeyMap_AppliesRulesInOrder_AndRemapRejectsCollisions()
    {
        var map = new KeyMap().RenamePrefix("module.", "").Rename("head.w", "head.weight").DropPrefix("optim.")
            .Drop(k => k.EndsWith(".tmp"));
        Assert.Equal("backbone.x", map.Apply("module.backbone.x"));
        Assert.Equal("head.weight", map.Apply("module.head.w"));
        Assert.Null(map.Apply("optim.lr"));
        Assert.Null(map.Apply("a.tmp"));
        Assert.Equal("other", map.Apply("other"));

        using var sd = new StateDict("memory");
        sd.Add("a.x", torch.zeros(1));
        sd.Add("b.x", torch.ones(1));
        var e = Assert.Throws<InvalidOperationException>(() => sd.Remap(new KeyMap().RenamePrefix("a.", "").RenamePrefix("b.", "")));
        Assert.Contains("'a.x'", e.Message);
        Assert.Contains("'b.x'", e.Message);
        Assert.Contains("'x'", e.Message);
    }

    [Fact]
    public void StateDictIsFoundUnderWrapperKeysInOrder_OrByExplicitPath_AndSkipsNonTensors()
    {
        using var dir = new TempDir();
        string path = dir.File("wrapped.pth");
        // {'model': {'m': t0}, 'net': {'n': t1, 'version': 3}, 'extra': {'e': t2}}
        var p = new PickleBuilder().Proto().EmptyDict().Mark()
            .Str("model").EmptyDict().Str("m").Tensor("FloatStorage", "0", 1, 0, new long[] { 1 }, new long[] { 1 }).SetItem()
            .Str("net").EmptyDict().Mark().Str("n").Tensor("FloatStorage", "1", 1, 0, new long[] { 1 }, new long[] { 1 })
            .Str("version").Int(3).SetItems()
            .Str("extra").EmptyDict().Str("module.e").Tensor("FloatStorage", "2", 1, 0, new long[] { 1 }, new long[] { 1 }).SetItem()
            .SetItems().Stop();
        TorchZip.Write(path, p.ToArray(), new Dictionary<string, byte[]>
        {
            ["0"] = TorchZip.Floats(10), ["1"] = TorchZip.Floats(11), ["2"] = TorchZip.Floats(12),
        });

        using (var sd = StateDict.Load(path))
        {
            Assert.Equal("net", sd.KeyPath); // 'net' is tried before 'model'
            Assert.Equal(new[] { "n" }, sd.Keys);
            Assert.Equal(new[] { "version" }, sd.SkippedKeys);
            Assert.Equal(11f, sd["n"].item<float>());
        }
        using (var sd = StateDict.Load(path, "model"))
            Assert.Equal(10f, sd["m"].item<float>());
        using (var sd = StateDict.Load(path, "extra"))
        {
            Assert.True(sd.ModulePrefixRemoved);
            Assert.Equal(12f, sd["e"].item<float>());
        }
        using (var sd = StateDict.Load(path, "extra", stripModulePrefix: false))
            Assert.Equal(new[] { "module.e" }, sd.Keys);

        var e = Assert.Throws<KeyNotFoundException>(() => StateDict.Load(path, "optimizer"));
        Assert.Contains(path, e.Message);
        Assert.Contains("optimizer", e.Message);

        // no state dict anywhere: the message names the file and the top-level keys
        string none = dir.File("none.pth");
        TorchZip.Write(none, new PickleBuilder().Proto().EmptyDict().Str("epoch").Int(1).SetItem().Stop().ToArray(),
            new Dictionary<string, byte[]>());
        var e2 = Assert.Throws<InvalidDataException>(() => StateDict.Load(none));
        Assert.Contains(none, e2.Message);
        Assert.Contains("'epoch'", e2.Message);
    }

    [Fact]
    public void StateDictOutlivesItsCheckpoint()
    {
        using var dir = new TempDir();
        string path = dir.File("small.pth");
        TorchZip.WriteStateDict(path, new (string, long[], Array)[] { ("w", new long[] { 2 }, new float[] { 3, 4 }) });
        StateDict sd;
        using (var ckpt = TorchCheckpoint.Load(path))
            sd = StateDict.FromCheckpoint(ckpt);
        using (sd)
            Assert.Equal(new float[] { 3, 4 }, sd["w"].data<float>().ToArray());
    }

    [Fact]
    public void MismatchMessage_ListsFirstTwentyKeysOfEachKindAndCounts()
    {
        var missing = Enumerable.Range(0, 25).Select(i => $"layer{i}.weight").ToList();
        var report = new LoadReport("big.pth", missing, new[] { "extra" }, Array.Empty<ShapeMismatch>(), Array.Empty<string>());
        string message = new CheckpointMismatchException(report).Message;
        Assert.Contains("'big.pth'", message);
        Assert.Contains("missing in checkpoint (25):", message);
        Assert.Contains("layer19.weight", message);
        Assert.DoesNotContain("layer20.weight", message);
        Assert.Contains("... and 5 more", message);
        Assert.Contains("unexpected in checkpoint (1):\n    extra", message);
    }
}
