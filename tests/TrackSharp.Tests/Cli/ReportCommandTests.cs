using System.Text.Json;
using Xunit;

namespace TrackSharp.Tests.Cli;

[Collection(CliCollection.Name)]
public class ReportCommandTests
{
    private static readonly string Golden = Path.Combine(TestPaths.Shared, "golden", "metrics");
    private static readonly string Otb = Path.Combine(Golden, "inputs", "datasets", "otb");
    private static readonly string Ope = Path.Combine(Golden, "inputs", "results", "ope");

    [Fact]
    public void ReportWritesFilesJsonAndWarnsAboutBadResultFiles()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-report-cli-").FullName;
        try
        {
            string json = Path.Combine(dir, "report.json");
            var r = CliRunner.Run("report", "--results", Ope, "--dataset", "otb", "--data", Otb, "--convention", "got10k",
                "--out", Path.Combine(dir, "out"), "--json", json);
            Assert.True(r.ExitCode == 0, r.Errors + r.Output);
            foreach (string f in new[] { "report.md", "report.html", "success.png", "success.svg", "precision.png", "precision.svg" })
                Assert.True(new FileInfo(Path.Combine(dir, "out", f)).Length > 0, f);
            // One warning line per problem, naming the file.
            Assert.Contains(r.Output.Split('\n'), l => l.StartsWith("warning: ") && l.Contains(Path.Combine(Ope, "trk_nasty", "length-6.txt")));

            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var root = doc.RootElement;
            Assert.Equal("got10k", root.GetProperty("convention").GetString());
            Assert.Equal(21, root.GetProperty("thresholds").GetProperty("success").GetArrayLength());
            var trackers = root.GetProperty("trackers").EnumerateArray().ToList();
            Assert.Equal(3, trackers.Count);
            var good = trackers.Single(t => t.GetProperty("name").GetString() == "trk_good");
            // got10k_toolkit.json modes.otb.trackers.trk_good.overall.success_score
            var expected = Path.Combine(Golden, "outputs", "got10k_toolkit.json");
            using var gdoc = JsonDocument.Parse(File.ReadAllText(expected));
            double auc = gdoc.RootElement.GetProperty("modes").GetProperty("otb").GetProperty("trackers").GetProperty("trk_good")
                .GetProperty("overall").GetProperty("success_score").GetDouble();
            Assert.Equal(auc, good.GetProperty("overall").GetProperty("auc").GetDouble(), 1e-9);
            Assert.Equal(51, good.GetProperty("overall").GetProperty("precision_curve").GetArrayLength());
            var seq = good.GetProperty("sequences").EnumerateArray().First();
            Assert.Equal(21, seq.GetProperty("scores").GetProperty("success_curve").GetArrayLength());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void NothingToEvaluateExitsTwo()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-report-cli-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "trk_empty"));
            var r = CliRunner.Run("report", "--results", dir, "--dataset", "otb", "--data", Otb, "--out", Path.Combine(dir, "out"));
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("no tracker results", r.Errors);
            Assert.False(File.Exists(Path.Combine(dir, "out", "report.md")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void SeveralResultFoldersAfterOneResultsOption()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-report-cli-").FullName;
        try
        {
            string other = Path.Combine(dir, "more", "my_tracker");
            Directory.CreateDirectory(other);
            foreach (string f in Directory.GetFiles(Path.Combine(Ope, "trk_good"), "*.txt"))
                File.Copy(f, Path.Combine(other, Path.GetFileName(f)));
            string json = Path.Combine(dir, "r.json");
            var r = CliRunner.Run("report", "--results", Ope, Path.Combine(dir, "more"), "--dataset", "otb", "--data", Otb,
                "--out", Path.Combine(dir, "out"), "--json", json);
            Assert.True(r.ExitCode == 0, r.Errors + r.Output);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var names = doc.RootElement.GetProperty("trackers").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
            Assert.Equal(["trk_good", "trk_nasty", "trk_noisy", "my_tracker"], names);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--dataset", "imagenet")]
    [InlineData("--convention", "matlab")]
    public void BadArgumentsExitTwo(string option, string value)
    {
        var args = new List<string> { "report", "--results", Ope, "--data", Otb };
        if (option != "--dataset") args.AddRange(["--dataset", "otb"]);
        args.AddRange([option, value]);
        var r = CliRunner.Run(args.ToArray());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(value, r.Errors);
    }

    [Fact]
    public void MissingResultsFolderExitsTwo()
    {
        var r = CliRunner.Run("report", "--results", "/nonexistent/results", "--dataset", "otb", "--data", Otb);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("/nonexistent/results", r.Errors);
    }
}
