using System.Text.Json;
using TrackSharp.Cli.Infrastructure;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary><c>bench siamban</c>: one frame of the published r50_l234 config (ratio to the Python anchors of issue 12,
/// 1551 / 1040 ms), the small golden config with its weights (no ratio), and clean failures. No timing assertions.</summary>
[Collection(CliCollection.Name)]
public class BenchSiamBanTests
{
    [Fact]
    public void PublishedConfigReportsMedianAndTheRatioToPython()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-bench-siamban-").FullName;
        int torchThreads = TorchSharp.torch.get_num_threads();
        try
        {
            string json = Path.Combine(dir, "siamban.json");
            var r = CliRunner.Run("bench", "siamban", "--quick", "--frames", "1", "--threads", "1", "--json", json);
            Assert.True(r.ExitCode == 0, r.Errors);
            Assert.Contains("median ms", r.Output);

            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var root = doc.RootElement;
            Assert.Equal("siamban_r50_l234", root.GetProperty("meta_arc").GetString());
            Assert.True(root.GetProperty("random_init").GetBoolean());
            Assert.EndsWith("siamban_r50_l234.yaml", root.GetProperty("config").GetString());
            double median = root.GetProperty("ms_per_frame").GetProperty("1").GetDouble();
            Assert.True(median > 0 && double.IsFinite(median), $"ms_per_frame = {median}");
            Assert.Equal(1551, root.GetProperty("python_ms_per_frame").GetProperty("1").GetDouble());
            Assert.Equal(1040, root.GetProperty("python_ms_per_frame").GetProperty("2").GetDouble());
            Assert.Equal(median / 1551, root.GetProperty("ratios").GetProperty("1").GetDouble(), 12);
            Assert.Equal(torchThreads, TorchSharp.torch.get_num_threads());
        }
        finally
        {
            TorchSharp.torch.set_num_threads(torchThreads);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void SmallGoldenConfigWithWeightsHasNoRatio()
    {
        string golden = Path.Combine(TestPaths.Shared, "golden", "siamban_small");
        string dir = Directory.CreateTempSubdirectory("tracksharp-bench-siamban-").FullName;
        try
        {
            string json = Path.Combine(dir, "small.json");
            var r = CliRunner.Run("bench", "siamban", "--quick", "--frames", "2", "--threads", "1", "--json", json,
                "--config", Path.Combine(golden, "config.yaml"), "--weights", Path.Combine(golden, "weights.pth"));
            Assert.True(r.ExitCode == 0, r.Errors);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Equal(BenchReportKeysTests.SiamBanKeys, BenchReportKeysTests.KeysOf(doc.RootElement));
            Assert.False(doc.RootElement.GetProperty("random_init").GetBoolean());
            Assert.Empty(doc.RootElement.GetProperty("ratios").EnumerateObject());
            Assert.Equal(2, doc.RootElement.GetProperty("frames").GetInt32());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void MissingConfigNamesTheFile()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-such-config-{Guid.NewGuid():N}.yaml");
        var r = CliRunner.Run("bench", "siamban", "--quick", "--config", missing);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains(missing, Assert.Single(r.ErrorLines));
    }
}
