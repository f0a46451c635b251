using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Trackers.OSTrack;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.OSTrack;

/// <summary>Official OSTrack checkpoints (golden weights.pth = bare state dict, checkpoint.pth = trainer {'net': ...})
/// against the model's names and shapes, and strict-load failures naming the file and keys.</summary>
public class OSTrackCheckpointTests
{
    [Fact]
    public void StateDictNamesShapesAndDtypesAreThoseOfWeightsJson()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(OSTrackGolden.File("weights.json")));
        using var model = new OSTrackModel(OSTrackGolden.ModelConfig());
        var ours = model.state_dict();
        var expected = json.RootElement.GetProperty("state_dict").EnumerateArray().ToList();
        Assert.Equal(expected.Select(e => e.GetProperty("name").GetString()!).Order(StringComparer.Ordinal),
            ours.Keys.Order(StringComparer.Ordinal));
        foreach (var e in expected)
        {
            string name = e.GetProperty("name").GetString()!;
            var shape = e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            Assert.True(shape.SequenceEqual(ours[name].shape), $"weights.json {name}: model [{string.Join(", ", ours[name].shape)}]");
            string dtype = e.GetProperty("dtype").GetString()!;
            Assert.True((dtype == "torch.int64" ? ScalarType.Int64 : ScalarType.Float32) == ours[name].dtype, $"weights.json {name}: {ours[name].dtype}");
        }
        Assert.Equal(json.RootElement.GetProperty("num_parameters").GetInt64(), model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void WeightsPthLoadsStrictlyWithAnEmptyReport()
    {
        using var model = new OSTrackModel(OSTrackGolden.ModelConfig());
        var report = OSTrackCheckpoints.LoadOfficial(model, OSTrackGolden.WeightsPath);
        Assert.True(report.IsExactMatch, report.Describe());
        Assert.Equal(146, report.Matched.Count);
        using var golden = Npz.Load(OSTrackGolden.File("weights.npz"));
        var sd = model.state_dict();
        foreach (var key in new[] { "backbone.pos_embed_x", "box_head.conv3_size.1.running_var", "backbone.blocks.3.mlp.fc2.weight" })
            Assert.Equal(golden[key].ToFloatArray(), sd[key].contiguous().data<float>().ToArray());
    }

    [Fact]
    public void TrainerCheckpointLoadsFromItsNetEntry()
    {
        using var model = new OSTrackModel(OSTrackGolden.ModelConfig());
        var report = OSTrackCheckpoints.LoadOfficial(model, OSTrackGolden.CheckpointPath);
        Assert.True(report.IsExactMatch, report.Describe());
        using var ckpt = TorchCheckpoint.Load(OSTrackGolden.CheckpointPath);
        var net = Assert.IsType<Tensor>(ckpt.Get("net/backbone.norm.weight"), exactMatch: false);
        Assert.Equal(net.data<float>().ToArray(), model.state_dict()["backbone.norm.weight"].data<float>().ToArray());
    }

    [Fact]
    public void StrictLoadIntoADifferentShapeNamesTheFileAndTheKeys()
    {
        var deeper = OSTrackGolden.ModelConfig() with { Depth = 5 };
        var error = Assert.Throws<CheckpointMismatchException>(() => OSTrackCheckpoints.LoadModel(OSTrackGolden.WeightsPath, deeper));
        Assert.Contains("weights.pth", error.Message);
        Assert.Contains("backbone.blocks.4.attn.qkv.weight", error.Report.Missing);
        Assert.Empty(error.Report.Unexpected);

        var wider = OSTrackGolden.ModelConfig() with { HeadChannels = 64 };
        var mismatch = Assert.Throws<CheckpointMismatchException>(() => OSTrackCheckpoints.LoadModel(OSTrackGolden.WeightsPath, wider));
        Assert.Contains(mismatch.Report.ShapeMismatched, m => m.Name == "box_head.conv1_ctr.0.weight");
    }

    [Fact]
    public void MissingWeightsFileIsNamed()
    {
        string path = Path.Combine(Path.GetTempPath(), "no_such_ostrack_weights.pth");
        var error = Assert.Throws<FileNotFoundException>(() => OSTrackCheckpoints.LoadModel(path, OSTrackGolden.ModelConfig()));
        Assert.Contains(path, error.Message);
    }
}
