using TrackSharp.Config;
using TrackSharp.Training.Engine;
using Xunit;

namespace TrackSharp.Tests.Training;

public class ConfigFamilyGuessTests
{
    [Theory]
    [InlineData("siamfcpp_small/config_train_track.yaml", "video_analyst")]
    [InlineData("ostrack_small/config.yaml", "ostrack")]
    [InlineData("siamban_small/config.yaml", "siamban")]
    [InlineData("fcos_small/config.yaml", "maskrcnn_benchmark")]
    public void GoldenConfigsAreRecognised(string file, string family) =>
        Assert.Equal(family, ConfigFamilyGuess.FromFile(Path.Combine(TestPaths.Shared, "golden", file)).Name);

    [Fact]
    public void UnknownLayoutAsksForFamilyNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ts-guess-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "foo: 1\nbar: 2\n");
        try
        {
            var e = Assert.Throws<ConfigException>(() => ConfigFamilyGuess.FromFile(path));
            Assert.Contains(Path.GetFileName(path), e.Message);
            Assert.Contains("--family", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
