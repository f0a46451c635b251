using TrackSharp.Config;
using TrackSharp.Detection.Data;
using Xunit;

namespace TrackSharp.Tests.Detection.Data;

/// <summary>Data settings read from golden/fcos_small/config.yaml (values by reading the file) and overrides.</summary>
public class DetectionConfigTests
{
    private static string ConfigPath => Path.Combine(TestPaths.Shared, "golden", "fcos_small", "config.yaml");

    [Fact]
    public void GoldenConfigGivesTheFcosSettings()
    {
        var cfg = ConfigFamily.MaskRcnnBenchmark.Load(ConfigPath);
        var train = DetectionConfig.Transform(cfg, training: true);
        Assert.Equal([800], train.MinSizes);
        Assert.Equal(1333, train.MaxSize);
        Assert.Equal(0.5, train.FlipProbability);
        Assert.Equal([102.9801f, 115.9465f, 122.7717f], train.PixelMean);
        Assert.Equal([1f, 1f, 1f], train.PixelStd);
        Assert.True(train.ToBgr255);
        var test = DetectionConfig.Transform(cfg, training: false);
        Assert.Equal([256], test.MinSizes);
        Assert.Equal(416, test.MaxSize);
        Assert.Equal(0.0, test.FlipProbability);

        var loader = DetectionConfig.Loader(cfg, training: true, seed: 3);
        Assert.Equal(16, loader.ImagesPerBatch);
        Assert.Equal([1.0], loader.AspectRatioBins!);
        Assert.Equal(32, loader.SizeDivisibility);
        Assert.True(loader.Shuffle);
        Assert.Equal(8, DetectionConfig.Loader(cfg, training: false).ImagesPerBatch);
    }

    [Fact]
    public void MinSizeRangeExpandsToEveryInteger()
    {
        var cfg = ConfigLoader.Load(ConfigFamily.MaskRcnnBenchmark, ConfigPath, "INPUT.MIN_SIZE_RANGE_TRAIN=[640,644]");
        Assert.Equal([640, 641, 642, 643, 644], DetectionConfig.Transform(cfg, training: true).MinSizes);
        var bad = ConfigLoader.Load(ConfigFamily.MaskRcnnBenchmark, ConfigPath, "INPUT.MIN_SIZE_RANGE_TRAIN=[640]");
        var e = Assert.Throws<ConfigException>(() => DetectionConfig.Transform(bad, training: true));
        Assert.Contains("INPUT.MIN_SIZE_RANGE_TRAIN", e.Message);
    }
}
