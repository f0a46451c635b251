using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Tests.NanoTrack;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary>
/// <c>track</c> end to end on real frames (golden/nanotrack/frames/tennis, 854x480), and every kind of bad
/// input the issue lists: each gives one clear error line naming the file/frame/key and exit code 2.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class TrackCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracksharp-track-").FullName;
    private const string TennisBox = "305,112,165,250";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string FramesFolder(int count, int? corruptIndex = null)
    {
        string folder = Path.Combine(_dir, "frames");
        Directory.CreateDirectory(folder);
        for (int i = 0; i < count; i++)
        {
            string target = Path.Combine(folder, $"{i:D5}.jpg");
            if (i == corruptIndex) File.WriteAllBytes(target, new byte[] { 0xFF, 0xD8, 0x00, 0x13, 0x37, 0x42 });
            else File.Copy(NanoTrackGolden.FramePath("tennis", i), target);
        }
        return folder;
    }

    private static string[] Lines(string path) => File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();

    [Fact]
    public void TracksAFolderAndWritesBoxesScoresSummaryAndVideo()
    {
        string output = Path.Combine(_dir, "out");
        var result = CliRunner.Run("track", "--input", FramesFolder(6), "--box", TennisBox, "--out", output, "--version", "v2");
        Assert.True(result.ExitCode == 0, result.Errors + result.Output);

        var boxes = Lines(Path.Combine(output, "boxes.txt"));
        Assert.Equal(6, boxes.Length);
        Assert.Equal(TennisBox, boxes[0]);
        Assert.Equal(6, Lines(Path.Combine(output, "scores.txt")).Length);
        using var video = new VideoCapture(Path.Combine(output, "annotated.mp4"));
        Assert.Equal(6, (int)video.Get(VideoCaptureProperties.FrameCount));
        Assert.Equal(854, (int)video.Get(VideoCaptureProperties.FrameWidth));
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json"))).RootElement;
        Assert.Equal(6, summary.GetProperty("Frames").GetInt32());
        Assert.Contains("FPS", result.Output);
    }

    [Fact]
    public void SeveralBoxesGiveOneTrackerAndOneFilePerTarget()
    {
        string output = Path.Combine(_dir, "out");
        var result = CliRunner.Run("track", "--input", FramesFolder(4), "--box", TennisBox, "--box", "600,200,60,80",
            "--out", output, "--no-video", "--tracker", "nanotrack-v2");
        Assert.True(result.ExitCode == 0, result.Errors + result.Output);
        Assert.Equal(TennisBox, Lines(Path.Combine(output, "boxes_1.txt"))[0]);
        Assert.Equal("600,200,60,80", Lines(Path.Combine(output, "boxes_2.txt"))[0]);
        Assert.Equal(4, Lines(Path.Combine(output, "scores_2.txt")).Length);
        Assert.False(File.Exists(Path.Combine(output, "annotated.mp4")));
    }

    [Fact]
    public void ACorruptFrameMidRunIsReportedSkippedAndMarked()
    {
        string output = Path.Combine(_dir, "out");
        var result = CliRunner.Run("track", "--input", FramesFolder(7, corruptIndex: 3), "--box", TennisBox,
            "--out", output, "--no-video", "--version", "v2");
        Assert.True(result.ExitCode == 0, result.Errors + result.Output);
        var boxes = Lines(Path.Combine(output, "boxes.txt"));
        Assert.Equal(7, boxes.Length);
        Assert.Equal("NaN,NaN,NaN,NaN", boxes[3]);
        Assert.DoesNotContain("NaN", boxes[4]);
        Assert.Equal("NaN", Lines(Path.Combine(output, "scores.txt"))[3]);
        var warnings = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json"))).RootElement
            .GetProperty("Warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Contains(warnings, w => w.Contains("00003.jpg") && w.Contains("frame 3"));
        Assert.Contains("00003.jpg", result.Errors + result.Output);
    }

    [Fact]
    public void InitFileGivesTheBox()
    {
        string init = Path.Combine(_dir, "groundtruth.txt");
        File.WriteAllText(init, "305\t112\t165\t250\r\n1,2,3,4\n");
        string output = Path.Combine(_dir, "out");
        var result = CliRunner.Run("track", "--input", FramesFolder(3), "--init", init, "--out", output, "--no-video", "--version", "v2");
        Assert.True(result.ExitCode == 0, result.Errors + result.Output);
        Assert.Equal(TennisBox, Lines(Path.Combine(output, "boxes.txt"))[0]);
    }

    private static void AssertOneErrorLine(CliRunner.Result result, params string[] mentions)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.ErrorLines);
        foreach (var text in mentions) Assert.Contains(text, result.Errors);
    }

    [Fact]
    public void MissingVideoNamesThePath()
    {
        string missing = Path.Combine(_dir, "nope.mp4");
        AssertOneErrorLine(CliRunner.Run("track", "--input", missing, "--box", TennisBox), "nope.mp4");
    }

    [Fact]
    public void UnreadableVideoNamesThePath()
    {
        string bad = Path.Combine(_dir, "broken.mp4");
        File.WriteAllText(bad, "this is not a video");
        AssertOneErrorLine(CliRunner.Run("track", "--input", bad, "--box", TennisBox, "--out", Path.Combine(_dir, "o")), "broken.mp4");
    }

    [Fact]
    public void FolderWithoutImagesNamesTheFolder()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "no images here");
        AssertOneErrorLine(CliRunner.Run("track", "--input", empty, "--box", TennisBox), "empty");
    }

    [Theory]
    [InlineData("2000,2000,50,50", "outside")]
    [InlineData("10,10,0,40", "positive width and height")]
    [InlineData("10,10,abc,40", "abc")]
    public void BadBoxesAreClearErrors(string box, string mention)
    {
        AssertOneErrorLine(CliRunner.Run("track", "--input", FramesFolder(2), "--box", box, "--out", Path.Combine(_dir, "o")), mention);
    }

    [Fact]
    public void WeightsWithWrongKeysNameTheKeys()
    {
        // A real checkpoint of another model (SiamBAN): every NanoTrack key is missing, every SiamBAN key unexpected.
        string other = Path.Combine(TestPaths.Shared, "golden", "siamban_small", "weights.pth");
        var result = CliRunner.Run("track", "--input", FramesFolder(2), "--box", TennisBox, "--weights", other, "--out", Path.Combine(_dir, "o"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("weights.pth", result.Errors);
        Assert.Contains("backbone.features.0.0.weight", result.Errors);
        Assert.Contains("missing", result.Errors);
    }

    [Fact]
    public void WeightsOfAnotherVersionAreNamed()
    {
        string v2 = NanoTrackGolden.WeightsPath(TrackSharp.Trackers.NanoTrack.NanoTrackVersion.V2);
        AssertOneErrorLine(CliRunner.Run("track", "--input", FramesFolder(2), "--box", TennisBox, "--weights", v2,
            "--version", "v3", "--out", Path.Combine(_dir, "o")), "nanotrackv2.pth", "v2");
    }

    [Fact]
    public void MissingWeightsFileIsNamed()
    {
        AssertOneErrorLine(CliRunner.Run("track", "--input", FramesFolder(2), "--box", TennisBox, "--weights",
            Path.Combine(_dir, "missing.pth"), "--out", Path.Combine(_dir, "o")), "missing.pth");
    }

    [Fact]
    public void UnknownTrackerListsTheKnownOnes()
    {
        AssertOneErrorLine(CliRunner.Run("track", "--input", FramesFolder(2), "--box", TennisBox, "--tracker", "siamrpn"),
            "siamrpn", "nanotrack", "csrt");
    }

    [Fact]
    public void MalformedInitFileNamesFileAndLine()
    {
        string init = Path.Combine(_dir, "init.txt");
        File.WriteAllText(init, "# first box\n12,x,4,5\n");
        AssertOneErrorLine(CliRunner.Run("track", "--input", FramesFolder(2), "--init", init), "init.txt:2", "'x'");
    }

    [Fact]
    public void MissingBoxIsAUsageError()
    {
        var result = CliRunner.Run("track", "--input", FramesFolder(2));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--box", result.Errors + result.Output);
    }
}
