using System.Text.Json;
using TrackSharp.Cli.Infrastructure;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary><c>bench siamfcpp</c>: a few frames of the default AlexNet config, the JSON layout, the Python anchors
/// of issue 14 (315 / 193 ms) and clean failures. No timing assertions.</summary>
[Collection(CliCollection.Name)]
public class BenchSiamFCppTests
{
    [Fact]
    public void FewFramesWriteMedianPerThreadCountAndTheReference()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-bench-siamfcpp-").FullName;
        int torchThreads = TorchSharp.torch.get_num_threads();
        try
        {
            string json = Path.Combine(dir, "out", "siamfcpp.json");
            var r = CliRunner.Run("bench", "siamfcpp", "--quick", "--frames", "2", "--threads", "1", "--json", json);
            Assert.True(r.ExitCode == 0, r.Errors);
            Assert.Contains("median ms", r.Output);
            Assert.Contains("random initialisation", r.Output);

            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var root = doc.RootElement;
            Assert.Equal(BenchReportKeysTests.SiamFCppKeys, BenchReportKeysTests.KeysOf(root));
            Assert.Equal("AlexNet", root.GetProperty("backbone").GetString());
            Assert.True(root.GetProperty("random_init").GetBoolean());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("weights").ValueKind);
            Assert.EndsWith("siamfcpp_alexnet.yaml", root.GetProperty("config").GetString());
            Assert.EndsWith("bag.avi", root.GetProperty("video").GetString());
            Assert.Equal(2, root.GetProperty("frames").GetInt32());
            double median = root.GetProperty("ms_per_frame").GetProperty("1").GetDouble();
            Assert.True(median > 0 && double.IsFinite(median), $"ms_per_frame = {median}");
            Assert.True(root.GetProperty("mean_ms").GetProperty("1").GetDouble() > 0);
            var result = Assert.Single(root.GetProperty("results").EnumerateArray());
            Assert.Equal(1, result.GetProperty("threads").GetInt32());
            Assert.Equal(median, result.GetProperty("ms_per_frame").GetDouble());

            var reference = root.GetProperty("reference").GetProperty("ms_per_frame");
            Assert.Equal(315, reference.GetProperty("1").GetDouble());
            Assert.Equal(193, reference.GetProperty("2").GetDouble());
            Assert.Equal(median / 315, root.GetProperty("ratios").GetProperty("1").GetDouble(), 12);
            Assert.Equal(0.8, root.GetProperty("goal_max_ratio").GetDouble());
            Assert.Equal(torchThreads, TorchSharp.torch.get_num_threads()); // restored after the run
        }
        finally
        {
            TorchSharp.torch.set_num_threads(torchThreads);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--threads", "0")]
    [InlineData("--threads", "1,x")]
    [InlineData("--threads", "2,2")]
    [InlineData("--frames", "0")]
    public void BadOptionValueExitsTwo(string option, string value)
    {
        var r = CliRunner.Run("bench", "siamfcpp", "--quick", option, value);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Single(r.ErrorLines, l => l.StartsWith("error: ", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingConfigOrWeightsNamesTheFile()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-such-config-{Guid.NewGuid():N}.yaml");
        var r = CliRunner.Run("bench", "siamfcpp", "--quick", "--config", missing);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains(missing, Assert.Single(r.ErrorLines));

        string weights = Path.Combine(Path.GetTempPath(), $"no-such-weights-{Guid.NewGuid():N}.pth");
        r = CliRunner.Run("bench", "siamfcpp", "--quick", "--weights", weights);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains(weights, Assert.Single(r.ErrorLines));
    }

    [Fact]
    public void HelpListsTheOptions()
    {
        var r = CliRunner.Run("bench", "siamfcpp", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var option in new[] { "--config", "--weights", "--frames", "--threads", "--json", "--quick", "--video", "--box" })
            Assert.Contains(option, r.Output);
    }
}
