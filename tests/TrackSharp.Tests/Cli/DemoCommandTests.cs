using Xunit;

namespace TrackSharp.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class DemoCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracksharp-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void DemoTracksTheShippedSampleAndSaysWhereTheVideoIs()
    {
        var result = CliRunner.Run("demo", "--max-frames", "12", "--out", _dir);
        Assert.True(result.ExitCode == 0, result.Errors + result.Output);
        string video = Path.Combine(_dir, "annotated.mp4");
        Assert.True(File.Exists(video));
        Assert.Contains("annotated video:", result.Output);
        Assert.Contains("annotated.mp4", result.Output);
        var boxes = File.ReadAllLines(Path.Combine(_dir, "boxes.txt"));
        Assert.Equal(12, boxes.Length);
        // samples/bag.json: the min/max box of the first VOT polygon of bag.
        Assert.Equal("292.23,128.36,145.96,132.47", boxes[0]);
    }
}
