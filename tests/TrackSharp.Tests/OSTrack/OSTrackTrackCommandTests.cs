using System.Globalization;
using TrackSharp.Checkpoints;
using TrackSharp.Tests.Cli;
using Xunit;

namespace TrackSharp.Tests.OSTrack;

/// <summary><c>track --tracker ostrack</c> end to end on the golden "bag" frames with the golden small weights (its
/// config.yaml lies beside weights.pth), and the missing-weights error.</summary>
[Collection(CliCollection.Name)]
public sealed class OSTrackTrackCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracksharp-ostrack-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Frames(int count)
    {
        string folder = Path.Combine(_dir, "frames");
        Directory.CreateDirectory(folder);
        for (int i = 1; i <= count; i++)
        {
            string name = $"{i:D8}.jpg";
            File.Copy(Path.Combine(OSTrackGolden.Folder, "tracking", "frames", name), Path.Combine(folder, name));
        }
        return folder;
    }

    [Fact]
    public void TracksWithTheGoldenWeightsAndGivesTheReferenceBox()
    {
        string output = Path.Combine(_dir, "out");
        var result = CliRunner.Run("track", "--tracker", "ostrack", "--weights", OSTrackGolden.WeightsPath,
            "--input", Frames(3), "--box", "292.23,128.36,145.96,132.47", "--out", output, "--no-video");
        Assert.True(result.ExitCode == 0, result.Errors + result.Output);
        var lines = File.ReadAllLines(Path.Combine(output, "boxes.txt")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(3, lines.Length);
        // Frame 2 is tracked from the initial box: track.npz free/out_box row 0.
        using var golden = Npz.Load(Path.Combine(OSTrackGolden.Folder, "tracking", "track.npz"));
        var expected = golden["free/out_box"].ToDoubleArray().Take(4).ToArray();
        var ours = lines[1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        for (int i = 0; i < 4; i++)
            Assert.True(Math.Abs(ours[i] - expected[i]) <= 0.01, $"boxes.txt line 2: [{lines[1]}] vs track.npz free/out_box[0] [{string.Join(", ", expected)}]");
    }

    /// <summary><c>--config</c> selects the network explicitly (the weights are copied to a folder without config.yaml) and
    /// <c>--debug</c> writes the crops, which are the reference's exactly (tracking/crops/template.png, search_00.png: frame 2
    /// is cut around the initial box, as in the teacher-forced run), and the maps.</summary>
    [Fact]
    public void ConfigOptionAndDebugCropsMatchTheReference()
    {
        string weights = Path.Combine(_dir, "w", "weights.pth");
        Directory.CreateDirectory(Path.GetDirectoryName(weights)!);
        File.Copy(OSTrackGolden.WeightsPath, weights);
        string debug = Path.Combine(_dir, "debug");
        var result = CliRunner.Run("track", "--tracker", "ostrack", "--weights", weights, "--config", OSTrackGolden.ConfigPath,
            "--input", Frames(3), "--box", "292.23,128.36,145.96,132.47", "--out", Path.Combine(_dir, "out"), "--no-video",
            "--debug", debug);
        Assert.True(result.ExitCode == 0, result.Errors + result.Output);
        Assert.Equal(["000000_template.png", "000001_response.png", "000001_score.png", "000001_search.png",
                      "000002_response.png", "000002_score.png", "000002_search.png"],
            Directory.GetFiles(debug).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        AssertSamePixels(Path.Combine(OSTrackGolden.Folder, "tracking", "crops", "template.png"), Path.Combine(debug, "000000_template.png"));
        AssertSamePixels(Path.Combine(OSTrackGolden.Folder, "tracking", "crops", "search_00.png"), Path.Combine(debug, "000001_search.png"));
        using var response = OpenCvSharp.Cv2.ImRead(Path.Combine(debug, "000001_response.png"));
        Assert.Equal((256, 256), (response.Width, response.Height));
    }

    [Fact]
    public void ConfigOptionForATrackerWithoutConfigIsRefused()
    {
        var result = CliRunner.Run("track", "--tracker", "csrt", "--config", OSTrackGolden.ConfigPath, "--input", Frames(2),
            "--box", "292,128,146,132", "--out", Path.Combine(_dir, "out"), "--no-video");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--config applies to ostrack", result.Errors);
    }

    private static void AssertSamePixels(string expectedPng, string actualPng)
    {
        using var expected = OpenCvSharp.Cv2.ImRead(expectedPng, OpenCvSharp.ImreadModes.Color);
        using var actual = OpenCvSharp.Cv2.ImRead(actualPng, OpenCvSharp.ImreadModes.Color);
        Assert.Equal(expected.Size(), actual.Size());
        using var diff = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Absdiff(expected, actual, diff);
        Assert.True(OpenCvSharp.Cv2.CountNonZero(diff.Reshape(1)) == 0, $"{actualPng} differs from {expectedPng}");
    }

    [Fact]
    public void WithoutWeightsItSaysSoInOneLine()
    {
        var result = CliRunner.Run("track", "--tracker", "ostrack", "--input", Frames(2), "--box", "292,128,146,132",
            "--out", Path.Combine(_dir, "out"), "--no-video");
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.ErrorLines);
        Assert.Contains("--weights", result.Errors);
    }
}
