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
