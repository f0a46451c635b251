using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Tests.Cli;
using Xunit;

namespace TrackSharp.Tests.Data.Datasets;

/// <summary>
/// <c>datasets check</c> and <c>datasets show</c> end to end: no false problem on any layout of shared/data, and each
/// problem planted in a damaged copy (shared/data is read-only) is reported by file and line with exit code 2.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class DatasetsVerbTests : IDisposable
{
    private readonly DatasetFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private static string DataPath(string relative) => Path.Combine(TestPaths.Shared, "data", relative);

    private (CliRunner.Result Result, JsonElement Json) Check(string path, params string[] extra)
    {
        string json = _fx.PathOf($"check-{Guid.NewGuid():N}.json");
        var result = CliRunner.Run(["datasets", "check", path, "--json", json, .. extra]);
        Assert.True(File.Exists(json), result.Errors + result.Output);
        return (result, JsonDocument.Parse(File.ReadAllText(json)).RootElement);
    }

    private static List<(string File, int? Line, string Message)> Problems(JsonElement json) =>
        json.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("file").GetString()!,
            p.TryGetProperty("line", out var l) ? l.GetInt32() : (int?)null, p.GetProperty("message").GetString()!)).ToList();

    [Theory]
    [InlineData("otb", "otb", 6, 725)]        // 120 + 120 + 215 (Diving) + 50 + 100 + 120
    [InlineData("vot", "vot", 1, 196)]
    [InlineData("uav123", "uav123", 1, 45)]
    [InlineData("dtb70", "dtb70", 1, 106)]
    public void EveryLayoutInSharedDataIsClean(string folder, string format, int sequences, int frames)
    {
        var (result, json) = Check(DataPath(folder));
        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Empty(Problems(json));
        Assert.Equal(format, json.GetProperty("format").GetString());
        Assert.Equal(sequences, json.GetProperty("sequences").GetInt32());
        Assert.Equal(frames, json.GetProperty("frames").GetInt32());
        Assert.Equal(0, json.GetProperty("absent_frames").GetInt32());
        // The same with the format given instead of detected.
        Assert.Equal(0, CliRunner.Run("datasets", "check", DataPath(folder), "--format", format).ExitCode);
    }

    [Fact]
    public void DivingsShortGroundTruthIsANoteNotAProblem()
    {
        var (result, json) = Check(DataPath("otb"));
        Assert.Equal(0, result.ExitCode);
        var note = Assert.Single(json.GetProperty("notes").EnumerateArray());
        Assert.EndsWith(Path.Combine("Diving", "groundtruth_rect.txt"), note.GetProperty("file").GetString());
        Assert.Contains("215 annotation rows for 231 images", note.GetProperty("message").GetString());
        var diving = json.GetProperty("per_sequence").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Diving");
        Assert.Equal(215, diving.GetProperty("frames").GetInt32());
        Assert.Equal(231, diving.GetProperty("images_on_disk").GetInt32());
    }

    [Fact]
    public void AMissingFrameIsReported()
    {
        string vot = _fx.Copy(DataPath("vot"), "vot");
        File.Delete(Path.Combine(vot, "bag", "00000050.jpg"));
        var (result, json) = Check(vot);
        Assert.Equal(2, result.ExitCode);
        var p = Assert.Single(Problems(json));
        Assert.Equal(Path.Combine(vot, "bag", "00000050.jpg"), p.File);
        Assert.Contains("missing frame file", p.Message);
        Assert.Contains("00000050.jpg", result.Output.Replace("\n", ""));
    }

    [Fact]
    public void AShortGroundTruthFileIsReported()
    {
        string dtb = _fx.Copy(DataPath("dtb70"), "dtb70");
        string gt = Path.Combine(dtb, "Surfing06", "groundtruth_rect.txt");
        File.WriteAllLines(gt, File.ReadAllLines(gt).Take(100));
        var (result, json) = Check(dtb);
        Assert.Equal(2, result.ExitCode);
        var p = Assert.Single(Problems(json));
        Assert.Equal(gt, p.File);
        Assert.Contains("short ground truth: 100 rows for 106 frames", p.Message);
    }

    [Fact]
    public void AMalformedLineIsReportedWithItsLine()
    {
        string otb = _fx.Copy(DataPath("otb/Crossing"), "otb/Crossing");
        string gt = Path.Combine(otb, "groundtruth_rect.txt");
        var lines = File.ReadAllText(gt).Split("\r\n");
        lines[6] = "199\t150\tabc\t49";
        File.WriteAllText(gt, string.Join("\r\n", lines));
        var (result, json) = Check(_fx.PathOf("otb"));
        Assert.Equal(2, result.ExitCode);
        var p = Assert.Single(Problems(json));
        Assert.Equal((gt, 7), (p.File, p.Line));
        Assert.Contains("'abc' is not a number", p.Message);
    }

    [Fact]
    public void ANegativeSizeIsReportedWithItsLine()
    {
        string uav = _fx.Copy(DataPath("uav123"), "uav123");
        string gt = Path.Combine(uav, "anno", "UAV123_10fps", "wakeboard7.txt");
        var lines = File.ReadAllLines(gt);
        lines[2] = "624,293,-11,38";
        File.WriteAllLines(gt, lines);
        var (result, json) = Check(uav);
        Assert.Equal(2, result.ExitCode);
        var p = Assert.Single(Problems(json));
        Assert.Equal((gt, 3), (p.File, p.Line));
        Assert.Contains("negative size", p.Message);
    }

    [Fact]
    public void ACorruptFrameIsReported()
    {
        string vot = _fx.Copy(DataPath("vot"), "vot");
        string frame = Path.Combine(vot, "bag", "00000007.jpg");
        var bytes = File.ReadAllBytes(frame);
        File.WriteAllBytes(frame, bytes[..(bytes.Length / 2)]);
        var (result, json) = Check(vot);
        Assert.Equal(2, result.ExitCode);
        var p = Assert.Single(Problems(json));
        Assert.Equal(frame, p.File);
        Assert.Contains("truncated JPEG", p.Message);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("show")]
    public void HelpRendersForEveryDatasetsVerb(string verb)
    {
        var result = CliRunner.Run("datasets", verb, "--help");
        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Contains("--format", result.Output);
    }

    [Fact]
    public void BadArgumentsGiveOneErrorLineAndExit2()
    {
        var missing = CliRunner.Run("datasets", "check", _fx.PathOf("nope"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Errors);
        var format = CliRunner.Run("datasets", "check", DataPath("otb"), "--format", "imagenet");
        Assert.Equal(2, format.ExitCode);
        Assert.Contains("known formats", format.Errors);
        var sequence = CliRunner.Run("datasets", "show", DataPath("otb"), "Jogging_2");
        Assert.Equal(2, sequence.ExitCode);
        Assert.Contains("no sequence 'Jogging_2'", sequence.Errors);
    }

    [Fact]
    public void ShowWritesAStripOfFramesWithTheirBoxes()
    {
        string png = _fx.PathOf("out/bag.png");
        var result = CliRunner.Run("datasets", "show", DataPath("vot"), "bag", "--frames", "3", "--out", png, "--height", "120");
        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        using var strip = Cv2.ImRead(png);
        Assert.Equal(120, strip.Height);
        Assert.Equal(3 * 160, strip.Width); // 480x360 frames scaled to 160x120
        // The first frame's min/max box 292.23,128.36,145.96,132.47 scaled by 1/3: its left edge x ~ 97 is drawn green.
        var pixel = strip.At<Vec3b>(64, 97);
        Assert.True(pixel.Item1 > 150 && pixel.Item2 < 100, $"expected the green box outline at (97, 64), got {pixel}");
    }
}
