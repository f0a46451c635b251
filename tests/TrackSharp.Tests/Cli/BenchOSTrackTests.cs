using System.Text.Json;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary><c>bench ostrack</c>: two frames of the golden small config (ViT-B would take minutes here), the JSON
/// layout, the Python anchors of issue 11 (602 / 1198 ms, given for ViT-B 256 CE only) and clean failures. No timing
/// assertions.</summary>
[Collection(CliCollection.Name)]
public class BenchOSTrackTests
{
    [Fact]
    public void FewFramesWriteMedianPerThreadCountAndTheReference()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-bench-ostrack-").FullName;
        int torchThreads = TorchSharp.torch.get_num_threads();
        try
        {
            string json = Path.Combine(dir, "out", "ostrack.json");
            string config = Path.Combine(TestPaths.Shared, "golden", "ostrack_small", "config.yaml");
            var r = CliRunner.Run("bench", "ostrack", "--quick", "--frames", "2", "--threads", "1", "--config", config, "--json", json);
            Assert.True(r.ExitCode == 0, r.Errors);
            Assert.Contains("median ms", r.Output);

            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var root = doc.RootElement;
            Assert.Equal(BenchReportKeysTests.OSTrackKeys, BenchReportKeysTests.KeysOf(root));
            Assert.Equal("vit_base_patch16_224_ce", root.GetProperty("backbone").GetString());
            Assert.Equal((64, 4), (root.GetProperty("embed_dim").GetInt32(), root.GetProperty("depth").GetInt32()));
            Assert.True(root.GetProperty("random_init").GetBoolean());
            Assert.Equal(2, root.GetProperty("frames").GetInt32());
            double median = root.GetProperty("ms_per_frame").GetProperty("1").GetDouble();
            Assert.True(median > 0 && double.IsFinite(median), $"ms_per_frame = {median}");
            var reference = root.GetProperty("reference").GetProperty("ms_per_frame");
            Assert.Equal(602, reference.GetProperty("1").GetDouble());
            Assert.Equal(1198, reference.GetProperty("2").GetDouble());
            Assert.Empty(root.GetProperty("ratios").EnumerateObject()); // not the ViT-B network
            Assert.Equal(0.9, root.GetProperty("goal_max_ratio").GetDouble());
            Assert.Equal(torchThreads, TorchSharp.torch.get_num_threads());
        }
        finally
        {
            TorchSharp.torch.set_num_threads(torchThreads);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void MissingConfigIsOneLineWithExitTwo()
    {
        var r = CliRunner.Run("bench", "ostrack", "--quick", "--config", "/nonexistent/ostrack.yaml");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("/nonexistent/ostrack.yaml", r.Errors);
    }
}
