using System.Globalization;
using System.Text.Json;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary>
/// <c>eval</c> end to end on ../shared/data/otb (Crossing and David, 10 frames each): the result layout and line
/// counts, resuming (files untouched), redoing an incomplete file, parallel workers giving the same boxes, the
/// JSON document, bad names (exit 2, one line), and pysot metrics of the golden reference runs
/// (golden/nanotrack/reference_runs/v2/otb + scores.json) read back through the resume path.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class EvalCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracksharp-eval-").FullName;
    private static readonly string Otb = Path.Combine(TestPaths.Shared, "data", "otb");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Out => Path.Combine(_dir, "results");

    private CliRunner.Result Eval(string tracker, params string[] extra) =>
        CliRunner.Run(["eval", "--tracker", tracker, "--dataset", "otb", "--data", Otb, "--out", Out,
            "--sequences", "Crossing,David", .. extra]);

    private static void AssertOk(CliRunner.Result r) => Assert.True(r.ExitCode == 0, r.Errors + r.Output);

    private static double[] Numbers(string line) =>
        line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void WritesTheLayoutWithOneLinePerFrameAndTheInitBoxFirst()
    {
        string json = Path.Combine(_dir, "eval.json");
        var r = Eval("kcf", "--max-frames", "10", "--json", json);
        AssertOk(r);

        string kcf = Path.Combine(Out, "kcf");
        Assert.Equal(["Crossing.txt", "David.txt"], Directory.GetFiles(kcf).Select(Path.GetFileName).Order());
        Assert.Equal(["Crossing_time.txt", "David_time.txt"],
            Directory.GetFiles(Path.Combine(kcf, "times")).Select(Path.GetFileName).Order());
        foreach (string seq in new[] { "Crossing", "David" })
        {
            Assert.Equal(10, File.ReadAllLines(Path.Combine(kcf, $"{seq}.txt")).Length);
            Assert.Equal(10, File.ReadAllLines(Path.Combine(kcf, "times", $"{seq}_time.txt")).Length);
        }
        // First ground-truth rows: Crossing "205\t151\t17\t50", David "129,80,64,78".
        Assert.Equal([205, 151, 17, 50], Numbers(File.ReadLines(Path.Combine(kcf, "Crossing.txt")).First()));
        Assert.Equal([129, 80, 64, 78], Numbers(File.ReadLines(Path.Combine(kcf, "David.txt")).First()));
        Assert.Contains("success AUC", r.Output);
        Assert.Contains("mean", r.Output);

        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        foreach (string key in new[] { "tracker", "dataset", "data", "results", "protocol", "max_frames", "curve_thresholds", "sequences", "overall", "failures" })
            Assert.True(root.TryGetProperty(key, out _), $"missing key {key}");
        Assert.Equal("kcf", root.GetProperty("tracker").GetString());
        var seqs = root.GetProperty("sequences").EnumerateArray().ToList();
        Assert.Equal(["Crossing", "David"], seqs.Select(s => s.GetProperty("name").GetString()));
        foreach (var s in seqs)
        {
            Assert.Equal(10, s.GetProperty("frames").GetInt32());
            foreach (string key in new[] { "fps", "resumed", "success_auc", "precision20", "norm_precision20", "files", "warnings" })
                Assert.True(s.TryGetProperty(key, out _), $"missing sequence key {key}");
            Assert.Equal(21, s.GetProperty("success_curve").GetArrayLength());
            Assert.Equal(51, s.GetProperty("precision_curve").GetArrayLength());
            Assert.Equal(51, s.GetProperty("norm_precision_curve").GetArrayLength());
        }
        var overall = root.GetProperty("overall");
        Assert.Equal(2, overall.GetProperty("sequences").GetInt32());
        Assert.Equal(20, overall.GetProperty("frames").GetInt32());
        foreach (string key in new[] { "fps", "success_auc", "precision20", "norm_precision20" })
            Assert.True(overall.TryGetProperty(key, out _), $"missing overall key {key}");
        Assert.Equal(21, overall.GetProperty("success_curve").GetArrayLength());
        Assert.Equal(21, root.GetProperty("curve_thresholds").GetProperty("success").GetArrayLength());
    }

    [Fact]
    public void ASecondRunResumesWithoutTouchingFilesAndRedoesAnIncompleteOne()
    {
        AssertOk(Eval("kcf", "--max-frames", "10"));
        var files = Directory.GetFiles(Path.Combine(Out, "kcf"), "*", SearchOption.AllDirectories);
        var before = files.ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Thread.Sleep(50);

        var second = Eval("kcf", "--max-frames", "10");
        AssertOk(second);
        Assert.Contains("2 of 2 sequences already have complete results", second.Output);
        Assert.Contains("(resumed)", second.Output);
        foreach (var (file, time) in before) Assert.Equal(time, File.GetLastWriteTimeUtc(file));

        // A box file with a missing line is incomplete: that sequence alone is tracked again.
        string crossing = Path.Combine(Out, "kcf", "Crossing.txt");
        File.WriteAllLines(crossing, File.ReadAllLines(crossing).Take(9));
        var third = Eval("kcf", "--max-frames", "10");
        AssertOk(third);
        Assert.Contains("1 of 2 sequences already have complete results", third.Output);
        Assert.Equal(10, File.ReadAllLines(crossing).Length);
        string david = Path.Combine(Out, "kcf", "David.txt");
        Assert.Equal(before[david], File.GetLastWriteTimeUtc(david));

        // --overwrite tracks both again.
        var fourth = Eval("kcf", "--max-frames", "10", "--overwrite");
        AssertOk(fourth);
        Assert.DoesNotContain("already have complete results", fourth.Output);
        Assert.NotEqual(before[david], File.GetLastWriteTimeUtc(david));
    }

    [Fact]
    public void ParallelWorkersGiveTheSameBoxesAsOne()
    {
        // With --parallel above 1 every tracker runs on one backend thread; the single-worker run is given the same
        // thread count, because float sums over 1 or 2 threads differ in the 4th decimal.
        var one = Eval("nanotrack-v2", "--max-frames", "10", "--threads", "1");
        AssertOk(one);
        string folder = Path.Combine(Out, "nanotrack-v2");
        var boxes = new[] { "Crossing", "David" }.ToDictionary(s => s, s => File.ReadAllText(Path.Combine(folder, $"{s}.txt")));

        var two = Eval("nanotrack-v2", "--max-frames", "10", "--parallel", "2", "--overwrite");
        AssertOk(two);
        foreach (var (seq, text) in boxes)
        {
            Assert.Equal(10, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Equal(text, File.ReadAllText(Path.Combine(folder, $"{seq}.txt")));
        }
    }

    [Fact]
    public void ReferenceRunsReadBackGiveTheGoldenPysotScores()
    {
        // golden/nanotrack/reference_runs/v2/otb/<seq>.txt are full 120-frame runs of the reference tracker;
        // scores.json holds their success AUC and precision@20 (pysot conventions, first frame included).
        string golden = Path.Combine(TestPaths.Shared, "golden", "nanotrack", "reference_runs");
        string folder = Path.Combine(Out, "nanotrack-v2");
        Directory.CreateDirectory(Path.Combine(folder, "times"));
        foreach (string seq in new[] { "Crossing", "David" })
        {
            File.Copy(Path.Combine(golden, "v2", "otb", $"{seq}.txt"), Path.Combine(folder, $"{seq}.txt"));
            File.WriteAllLines(Path.Combine(folder, "times", $"{seq}_time.txt"), Enumerable.Repeat("0.01", 120));
        }
        string json = Path.Combine(_dir, "eval.json");
        var r = Eval("nanotrack-v2", "--json", json);
        AssertOk(r);

        var scores = JsonDocument.Parse(File.ReadAllText(Path.Combine(golden, "scores.json"))).RootElement
            .GetProperty("v2").GetProperty("sequences").EnumerateArray()
            .ToDictionary(s => s.GetProperty("seq").GetString()!, s => s);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var seqs = root.GetProperty("sequences").EnumerateArray().ToList();
        foreach (var s in seqs)
        {
            var expected = scores["otb/" + s.GetProperty("name").GetString()];
            Assert.True(s.GetProperty("resumed").GetBoolean());
            Assert.Equal(expected.GetProperty("frames").GetInt32(), s.GetProperty("frames").GetInt32());
            Assert.Equal(expected.GetProperty("auc").GetDouble(), s.GetProperty("success_auc").GetDouble(), 12);
            Assert.Equal(expected.GetProperty("prec20").GetDouble(), s.GetProperty("precision20").GetDouble(), 12);
            Assert.Equal(100.0, s.GetProperty("fps").GetDouble(), 9);
        }
        double meanAuc = (scores["otb/Crossing"].GetProperty("auc").GetDouble() + scores["otb/David"].GetProperty("auc").GetDouble()) / 2;
        Assert.Equal(meanAuc, root.GetProperty("overall").GetProperty("success_auc").GetDouble(), 12);
    }

    [Theory]
    [InlineData("--dataset", "otb2015", "unknown dataset 'otb2015'")]
    [InlineData("--sequences", "Nope", "no sequence 'Nope'")]
    [InlineData("--tracker", "no-such-tracker", "unknown tracker 'no-such-tracker'")]
    public void UnknownNamesExitWithCode2AndOneErrorLine(string option, string value, string message)
    {
        var args = new Dictionary<string, string>
        {
            ["--tracker"] = "kcf", ["--dataset"] = "otb", ["--data"] = Otb, ["--out"] = Out, ["--sequences"] = "Crossing",
            [option] = value,
        };
        var r = CliRunner.Run(["eval", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);
        Assert.Equal(2, r.ExitCode);
        string line = Assert.Single(r.ErrorLines);
        Assert.Contains(message, line);
        Assert.False(Directory.Exists(Out));
    }
}
