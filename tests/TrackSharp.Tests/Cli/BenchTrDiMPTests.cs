using System.Text.Json;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary><c>bench trdimp</c>: two frames of the small (golden-width) network (ResNet-50 would take minutes here), the
/// JSON layout, the Python anchor of issue 13 (1442 ms at 2 threads, ResNet-50 only) and a clean failure. No timing
/// assertions.</summary>
[Collection(CliCollection.Name)]
public class BenchTrDiMPTests
{
    [Fact]
    public void FewFramesWriteMedianPerThreadCountAndTheReference()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-bench-trdimp-").FullName;
        int torchThreads = TorchSharp.torch.get_num_threads();
        try
        {
            string json = Path.Combine(dir, "out", "trdimp.json");
            var r = CliRunner.Run("bench", "trdimp", "--small", "--quick", "--frames", "2", "--threads", "1", "--json", json);
            Assert.True(r.ExitCode == 0, r.Errors);
            Assert.Contains("median ms", r.Output);

            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var root = doc.RootElement;
            Assert.Equal(BenchReportKeysTests.TrDiMPKeys, BenchReportKeysTests.KeysOf(root));
            Assert.Equal("small", root.GetProperty("network").GetString());
            Assert.True(root.GetProperty("random_init").GetBoolean());
            Assert.Equal(2, root.GetProperty("frames").GetInt32());
            double median = root.GetProperty("ms_per_frame").GetProperty("1").GetDouble();
            Assert.True(median > 0 && double.IsFinite(median), $"ms_per_frame = {median}");
            Assert.Equal(1442, root.GetProperty("reference").GetProperty("ms_per_frame").GetProperty("2").GetDouble());
            Assert.Empty(root.GetProperty("ratios").EnumerateObject()); // not the ResNet-50 network
            Assert.Equal(0.8, root.GetProperty("goal_max_ratio").GetDouble());
            Assert.Equal(torchThreads, TorchSharp.torch.get_num_threads());
        }
        finally
        {
            TorchSharp.torch.set_num_threads(torchThreads);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void MissingVideoIsOneLineWithExitTwo()
    {
        var r = CliRunner.Run("bench", "trdimp", "--quick", "--small", "--video", "/nonexistent/video.avi", "--box", "1,2,30,40");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("/nonexistent/video.avi", r.Errors);
    }
}
