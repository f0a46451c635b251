using System.Text.Json;
using TrackSharp.Tests.Cli;
using Xunit;

namespace TrackSharp.Tests.Evaluation.Runs;

/// <summary>
/// <c>eval --dataset vot</c> end to end on ../shared/data/vot (bag, 30 frames, KCF): reset is the default protocol
/// (baseline layout, A/R table, JSON document), a second run resumes, <c>--protocol ope</c> keeps the one-pass run,
/// and the reset protocol is refused for other datasets.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class VotEvalCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracksharp-voteval-").FullName;
    private static readonly string VotData = Path.Combine(TestPaths.Shared, "data", "vot");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Out => Path.Combine(_dir, "results");

    private CliRunner.Result Eval(params string[] extra) =>
        CliRunner.Run(["eval", "--tracker", "kcf", "--dataset", "vot", "--data", VotData, "--out", Out, "--max-frames", "30", .. extra]);

    private static void AssertOk(CliRunner.Result r) => Assert.True(r.ExitCode == 0, r.Errors + r.Output);

    [Fact]
    public void ResetIsTheDefaultForVotAndWritesTheBaselineLayoutAndJson()
    {
        string json = Path.Combine(_dir, "vot.json");
        var r = Eval("--json", json);
        AssertOk(r);

        string folder = Path.Combine(Out, "kcf", "baseline", "bag");
        Assert.Equal(["bag_001.txt", "bag_time.txt"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.Equal("1", File.ReadLines(Path.Combine(folder, "bag_001.txt")).First());
        Assert.False(File.Exists(Path.Combine(Out, "kcf", "bag.txt")));
        Assert.Contains("accuracy", r.Output);
        Assert.Contains("robustness", r.Output);
        Assert.Contains("EAO", r.Output);

        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.StartsWith("reset", root.GetProperty("protocol").GetString());
        Assert.Equal("VOT2018", root.GetProperty("eao_window").GetProperty("dataset").GetString());
        var overall = root.GetProperty("overall");
        Assert.Equal(30, overall.GetProperty("frames").GetInt32());
        Assert.InRange(overall.GetProperty("accuracy").GetDouble(), 0.0, 1.0);
        Assert.True(overall.GetProperty("robustness").GetDouble() >= 0);
        Assert.Equal(30, overall.GetProperty("expected_overlaps").GetArrayLength());
        Assert.Equal("NaN", overall.GetProperty("eao").GetString()); // 30 frames never reach the window (100..356)
        var seq = Assert.Single(root.GetProperty("sequences").EnumerateArray().ToList());
        Assert.Equal("bag", seq.GetProperty("name").GetString());
        Assert.Equal(480, seq.GetProperty("width").GetInt32());

        var again = Eval();
        AssertOk(again);
        Assert.Contains("1 of 1 sequences already have complete results", again.Output);
        Assert.Contains("(resumed)", again.Output);
    }

    [Fact]
    public void ProtocolOpeKeepsTheOnePassRun()
    {
        AssertOk(Eval("--protocol", "ope"));
        Assert.Equal(30, File.ReadAllLines(Path.Combine(Out, "kcf", "bag.txt")).Length);
        Assert.False(Directory.Exists(Path.Combine(Out, "kcf", "baseline")));
    }

    [Fact]
    public void ResetIsRefusedForOtherDatasetsAndBadValues()
    {
        var r = CliRunner.Run("eval", "--tracker", "kcf", "--dataset", "otb", "--data", VotData, "--out", Out, "--protocol", "reset");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--protocol reset needs --dataset vot", r.Errors);
        Assert.Equal(2, Eval("--protocol", "supervised").ExitCode);
        Assert.Equal(2, Eval("--eao-window", "VOT2030").ExitCode);
        Assert.False(Directory.Exists(Out));
    }
}
