using System.Text.Json;
using TrackSharp.Cli.Infrastructure;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary><c>tracksharp coco-eval</c> on golden/coco_eval: pycocotools' 12 lines verbatim, the JSON stats, bad input.</summary>
[Collection(CliCollection.Name)]
public class CocoEvalCommandTests
{
    private static string Golden(string scenario, string file) => Path.Combine(TestPaths.Shared, "golden", "coco_eval", scenario, file);

    [Theory]
    [InlineData("crowd_ignore")]
    [InlineData("stress")]
    public void PrintsPycocotoolsSummaryAndWritesJson(string scenario)
    {
        string json = Path.Combine(Path.GetTempPath(), $"tracksharp-coco-eval-{Guid.NewGuid():N}.json");
        try
        {
            var r = CliRunner.Run("coco-eval", "--gt", Golden(scenario, "instances.json"), "--dt", Golden(scenario, "results.json"),
                "--per-category", "--json", json);
            Assert.True(r.ExitCode == 0, r.Errors);
            using var golden = JsonDocument.Parse(File.ReadAllText(Golden(scenario, "eval.json")));
            var lines = golden.RootElement.GetProperty("summary_lines").EnumerateArray().Select(x => x.GetString()!).ToArray();
            var printed = r.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            int first = printed.IndexOf(lines[0]);
            Assert.True(first >= 0, $"summary line 0 not printed; output:\n{r.Output}");
            Assert.Equal(lines, printed.Skip(first).Take(12));

            using var written = JsonDocument.Parse(File.ReadAllText(json));
            var stats = golden.RootElement.GetProperty("stats").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            string[] names = ["AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"];
            for (int i = 0; i < 12; i++)
                Assert.Equal(stats[i], written.RootElement.GetProperty("stats").GetProperty(names[i]).GetDouble(), 1e-6);
            Assert.Equal(golden.RootElement.GetProperty("params").GetProperty("catIds").GetArrayLength(),
                written.RootElement.GetProperty("per_category").GetArrayLength());
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public void MissingFileIsBadInput()
    {
        var r = CliRunner.Run("coco-eval", "--gt", "no/such/instances.json", "--dt", Golden("perfect", "results.json"));
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("no/such/instances.json", r.Errors);
    }

    [Fact]
    public void ResultOnUnknownImageNamesFileAndEntry()
    {
        string dt = Path.Combine(Path.GetTempPath(), $"tracksharp-coco-dt-{Guid.NewGuid():N}.json");
        File.WriteAllText(dt, """[{"image_id": 1, "category_id": 2, "bbox": [0, 0, 10, 10], "score": 0.5}, {"image_id": 777, "category_id": 2, "bbox": [0, 0, 10, 10], "score": 0.5}]""");
        try
        {
            var r = CliRunner.Run("coco-eval", "--gt", Golden("perfect", "instances.json"), "--dt", dt);
            Assert.Equal(ExitCodes.BadInput, r.ExitCode);
            Assert.Single(r.ErrorLines);
            Assert.Contains(dt, r.Errors);
            Assert.Contains("[1].image_id", r.Errors);
            Assert.Contains("777", r.Errors);
        }
        finally
        {
            File.Delete(dt);
        }
    }

    [Fact]
    public void MissingOptionsAreUsageErrors()
    {
        var r = CliRunner.Run("coco-eval", "--gt", Golden("perfect", "instances.json"));
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("--dt", r.Errors);
    }
}
