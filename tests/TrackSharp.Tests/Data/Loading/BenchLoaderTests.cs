using System.Text.Json;
using TrackSharp.Tests.Cli;
using Xunit;

namespace TrackSharp.Tests.Data.Loading;

[Collection(CliCollection.Name)]
public class BenchLoaderTests
{
    [Fact]
    public void QuickRunWritesPositiveSamplesPerSecondForEachWorkerCount()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-bench-loader-").FullName;
        try
        {
            string json = Path.Combine(dir, "loader.json");
            var r = CliRunner.Run("bench", "loader", "--quick", "--json", json);
            Assert.True(r.ExitCode == 0, r.Errors + r.Output);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var perWorkers = doc.RootElement.GetProperty("samples_per_s");
            foreach (string w in new[] { "1", "2" })
            {
                double v = perWorkers.GetProperty(w).GetDouble();
                Assert.True(v > 0 && double.IsFinite(v), $"{w} workers: {v}");
            }
            Assert.True(doc.RootElement.GetProperty("quick").GetBoolean());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void BadWorkerListIsRejected()
    {
        var r = CliRunner.Run("bench", "loader", "--workers", "1,x");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--workers", r.Errors + r.Output);
    }
}
