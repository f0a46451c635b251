using System.Text.Json;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary><c>bench train siamban</c>: a --quick run of the small golden config on the synthetic crop511 set (the JSON's
/// fields and their consistency), the median helper against hand-computed values, and clean failures. No timing assertions.</summary>
[Collection(CliCollection.Name)]
public class BenchTrainSiamBanTests
{
    private static string SmallConfig => Path.Combine(TestPaths.Shared, "golden", "siamban_small", "config.yaml");

    [Fact]
    public void QuickRunOnTheSmallConfigWritesTheJsonFields()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-bench-train-siamban-test-").FullName;
        int torchThreads = TorchSharp.torch.get_num_threads();
        try
        {
            string json = Path.Combine(dir, "train.json");
            var r = CliRunner.Run("bench", "train", "siamban", "--quick", "--config", SmallConfig, "--threads", "1", "--json", json);
            Assert.True(r.ExitCode == 0, r.Output + r.Errors);
            Assert.Contains("s_per_iter", r.Output);

            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var root = doc.RootElement;
            Assert.Equal("siamban_r50_l234_small", root.GetProperty("meta_arc").GetString());
            Assert.Equal(2, root.GetProperty("batch_size").GetInt32());
            Assert.Equal(2, root.GetProperty("iterations").GetInt32());
            Assert.Equal(1, root.GetProperty("warmup").GetInt32());
            Assert.Equal(1, root.GetProperty("threads").GetInt32());
            Assert.True(root.GetProperty("synthetic").GetBoolean());
            Assert.True(root.GetProperty("random_init").GetBoolean());
            Assert.False(root.GetProperty("backbone_trained").GetBoolean());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("python_s_per_iter").ValueKind);

            var seconds = root.GetProperty("iteration_seconds").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(2, seconds.Length);
            Assert.All(seconds, s => Assert.True(s > 0 && double.IsFinite(s), $"iteration took {s} s"));
            // Two values: the median is their mean, as is the mean.
            Assert.Equal((seconds[0] + seconds[1]) / 2, root.GetProperty("s_per_iter").GetDouble(), 12);
            Assert.Equal((seconds[0] + seconds[1]) / 2, root.GetProperty("s_per_iter_mean").GetDouble(), 12);

            var phases = root.GetProperty("phases");
            Assert.Equal(["data", "fwd", "bwd", "optim", "other"], phases.EnumerateObject().Select(p => p.Name).ToArray());
            double phaseMeans = phases.EnumerateObject().Sum(p => p.Value.GetProperty("mean").GetDouble());
            // "other" is the rest of each iteration, so the phase means add up to the iteration mean.
            Assert.Equal(root.GetProperty("s_per_iter_mean").GetDouble(), phaseMeans, 9);

            var losses = root.GetProperty("last_losses");
            Assert.True(double.IsFinite(losses.GetProperty("cls_loss").GetDouble()));
            Assert.True(double.IsFinite(losses.GetProperty("loc_loss").GetDouble()));
            Assert.Equal(torchThreads, TorchSharp.torch.get_num_threads());
        }
        finally
        {
            TorchSharp.torch.set_num_threads(torchThreads);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { 3.0 }, 3.0, 3.0)]
    [InlineData(new[] { 4.0, 1.0, 2.0 }, 2.0, 7.0 / 3)]
    [InlineData(new[] { 4.0, 1.0, 2.0, 10.0 }, 3.0, 4.25)]
    public void SummarizeGivesMedianAndMean(double[] values, double median, double mean)
    {
        var s = SiamBanTrainBenchmark.Summarize(values);
        Assert.Equal(median, s.Median, 12);
        Assert.Equal(mean, s.Mean, 12);
    }

    [Theory]
    [InlineData("--warmup", "0")]
    [InlineData("--batch", "0")]
    [InlineData("--iterations", "0")]
    public void BadCountsAreRejected(string option, string value)
    {
        var r = CliRunner.Run("bench", "train", "siamban", "--quick", option, value);
        Assert.NotEqual(ExitCodes.Success, r.ExitCode);
        Assert.Contains(option, r.Output + r.Errors);
    }

    [Fact]
    public void MissingConfigNamesTheFile()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-such-config-{Guid.NewGuid():N}.yaml");
        var r = CliRunner.Run("bench", "train", "siamban", "--quick", "--config", missing);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains(missing, Assert.Single(r.ErrorLines));
    }
}
