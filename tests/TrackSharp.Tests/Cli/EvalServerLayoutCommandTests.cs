using System.IO.Compression;
using System.Text.Json;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary>
/// <c>eval --dataset trackingnet</c> and <c>--dataset got10k-test</c> end to end on fixtures written here (frames: the
/// first images of shared/data/otb/Crossing; tracker: OpenCV KCF, not declared deterministic): the submission zips,
/// the three GOT-10k repetitions, test-split sequences tracked but not scored, and the JSON document.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class EvalServerLayoutCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracksharp-eval-server-").FullName;
    private static readonly string Crossing = Path.Combine(TestPaths.Shared, "data", "otb", "Crossing");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Frames(string folder, int count, string nameFormat)
    {
        Directory.CreateDirectory(folder);
        for (int i = 0; i < count; i++)
            File.Copy(Path.Combine(Crossing, "img", $"{i + 1:D4}.jpg"), Path.Combine(folder, string.Format(nameFormat, i)));
    }

    private static string[] GroundTruth(int rows) =>
        File.ReadLines(Path.Combine(Crossing, "groundtruth_rect.txt")).Take(rows).Select(l => l.Replace('\t', ',')).ToArray();

    [Fact]
    public void TrackingNetWritesTheZipTheServerTakes()
    {
        string data = Path.Combine(_dir, "TrackingNet");
        Frames(Path.Combine(data, "TEST", "frames", "vid_a"), 4, "{0}.jpg");
        Directory.CreateDirectory(Path.Combine(data, "TEST", "anno"));
        File.WriteAllLines(Path.Combine(data, "TEST", "anno", "vid_a.txt"), GroundTruth(1));
        string outDir = Path.Combine(_dir, "out"), json = Path.Combine(_dir, "tn.json");

        var r = CliRunner.Run("eval", "--tracker", "kcf", "--dataset", "trackingnet", "--data", data, "--out", outDir, "--json", json);

        Assert.True(r.ExitCode == 0, r.Errors + r.Output);
        string zipPath = Path.Combine(outDir, "kcf_trackingnet.zip");
        Assert.Contains("TrackingNet submission", r.Output);
        Assert.Contains("not scored here", r.Output);
        using (var zip = ZipFile.OpenRead(zipPath))
        {
            var entry = Assert.Single(zip.Entries);
            Assert.Equal("vid_a.txt", entry.FullName);
            using var reader = new StreamReader(entry.Open());
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, lines.Length);
            Assert.Equal("205.00,151.00,17.00,50.00", lines[0]); // the first box, '%.2f'
        }
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal(zipPath, root.GetProperty("submission").GetString());
        var seq = Assert.Single(root.GetProperty("sequences").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, seq.GetProperty("success_auc").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("overall").ValueKind);
    }

    [Fact]
    public void Got10kTestWritesThreeRepetitionsForANonDeterministicTracker()
    {
        string data = Path.Combine(_dir, "GOT-10k", "test");
        string seq = "GOT-10k_Test_000001";
        Frames(Path.Combine(data, seq), 3, "{0:D8}.jpg");
        File.WriteAllLines(Path.Combine(data, seq, "groundtruth.txt"), GroundTruth(1));
        File.WriteAllLines(Path.Combine(data, "list.txt"), [seq]);
        string outDir = Path.Combine(_dir, "out");

        var r = CliRunner.Run("eval", "--tracker", "kcf", "--dataset", "got10k-test", "--data", data, "--out", outDir);

        Assert.True(r.ExitCode == 0, r.Errors + r.Output);
        string folder = Path.Combine(outDir, "kcf", seq);
        Assert.Equal(new[] { $"{seq}_001.txt", $"{seq}_002.txt", $"{seq}_003.txt", $"{seq}_time.txt" },
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(File.ReadAllLines(Path.Combine(folder, $"{seq}_time.txt")), l => Assert.Equal(3, l.Split(',').Length));
        // The server's zip: the GOT-10k files only, relative to the tracker folder, bytes as written.
        Assert.Contains("GOT-10k submission", r.Output);
        using (var zip = ZipFile.OpenRead(Path.Combine(outDir, "kcf_got10k.zip")))
        {
            Assert.Equal(new[] { $"{seq}/{seq}_001.txt", $"{seq}/{seq}_002.txt", $"{seq}/{seq}_003.txt", $"{seq}/{seq}_time.txt" },
                zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
            using var reader = new StreamReader(zip.GetEntry($"{seq}/{seq}_002.txt")!.Open());
            Assert.Equal(File.ReadAllText(Path.Combine(folder, $"{seq}_002.txt")), reader.ReadToEnd());
        }

        // A second run finds every repetition complete and tracks nothing.
        var again = CliRunner.Run("eval", "--tracker", "kcf", "--dataset", "got10k-test", "--data", data, "--out", outDir);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("1 of 1 sequences already have complete results", again.Output);
    }
}
