using System.Text.Json;
using TrackSharp.Cli.Benchmarks;
using Xunit;

namespace TrackSharp.Tests.Cli;

[Collection(CliCollection.Name)]
public class BenchMetricsTests
{
    [Fact]
    public void QuickRunWritesJsonWithPositiveSecondsAndEveryKey()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-bench-metrics-").FullName;
        try
        {
            string json = Path.Combine(dir, "metrics.json");
            var r = CliRunner.Run("bench", "metrics", "--quick", "--json", json);
            Assert.True(r.ExitCode == 0, r.Errors);
            Assert.Contains("total", r.Output);

            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var root = doc.RootElement;
            double seconds = root.GetProperty("seconds").GetDouble();
            Assert.True(seconds > 0 && double.IsFinite(seconds), $"seconds = {seconds}");

            var byToolkit = root.GetProperty("seconds_by_toolkit");
            foreach (string toolkit in new[] { "pysot", "pytracking", "ostrack", "got10k", "vot" })
            {
                double s = byToolkit.GetProperty(toolkit).GetDouble();
                Assert.True(s > 0 && double.IsFinite(s), $"{toolkit} = {s}");
            }
            Assert.Equal(MetricsBenchmark.QuickSequences, root.GetProperty("sequences").GetInt32());
            Assert.Equal(MetricsBenchmark.QuickFrames, root.GetProperty("frames").GetInt32());
            Assert.Contains(root.GetProperty("goal_met").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            Assert.True(root.GetProperty("quick").GetBoolean());
            foreach (string score in new[] { "pysot_auc", "pytracking_auc", "ostrack_auc", "got10k_ao", "vot_mean_overlap" })
            {
                double v = root.GetProperty("scores").GetProperty(score).GetDouble();
                Assert.True(v > 0 && double.IsFinite(v), $"{score} = {v}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void SizesAreHonouredAndTheBenchmarkIsDeterministic()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-bench-metrics-").FullName;
        try
        {
            string a = Path.Combine(dir, "a.json"), b = Path.Combine(dir, "b.json");
            Assert.Equal(0, CliRunner.Run("bench", "metrics", "--sequences", "3", "--frames", "50", "--json", a).ExitCode);
            Assert.Equal(0, CliRunner.Run("bench", "metrics", "--sequences", "3", "--frames", "50", "--json", b).ExitCode);
            using var da = JsonDocument.Parse(File.ReadAllText(a));
            using var db = JsonDocument.Parse(File.ReadAllText(b));
            Assert.Equal(3, da.RootElement.GetProperty("sequences").GetInt32());
            Assert.Equal(50, da.RootElement.GetProperty("frames").GetInt32());
            Assert.Equal(150, da.RootElement.GetProperty("total_frames").GetInt64());
            Assert.Equal(da.RootElement.GetProperty("scores").GetRawText(), db.RootElement.GetProperty("scores").GetRawText());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--sequences", "0")]
    [InlineData("--frames", "1")]
    public void BadSizeExitsTwo(string option, string value)
    {
        var r = CliRunner.Run("bench", "metrics", option, value);
        Assert.Equal(TrackSharp.Cli.Infrastructure.ExitCodes.BadInput, r.ExitCode);
        Assert.Contains(option, r.Errors);
    }
}
