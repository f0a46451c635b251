using TrackSharp.Config;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Geometry;
using TrackSharp.Trackers.SiamFCpp.Training;
using Xunit;

namespace TrackSharp.Tests.SiamFCpp.Training;

/// <summary>The training-box filter with the published limits (area rate in (0.001, 0.6), aspect ratio below 10),
/// checked on boxes whose rates are worked out by hand in a 100 x 100 frame (inclusive widths: x1 - x0 + 1).</summary>
public sealed class SiamFCppPairFilterTests
{
    private static readonly SiamFCppPairFilter Published = new(0.001, 0.6, 10);

    [Theory]
    [InlineData(0, 0, 9, 9, false)]   // 10 x 10: area rate 0.01, ratio 1
    [InlineData(0, 0, 1, 1, true)]    // 2 x 2: area rate 0.0004 <= 0.001
    [InlineData(0, 0, 79, 79, true)]  // 80 x 80: area rate 0.64 >= 0.6
    [InlineData(0, 0, 99, 8, true)]   // 100 x 9: ratio 11.1 >= 10
    [InlineData(0, 0, 89, 9, false)]  // 90 x 10: ratio 9, area rate 0.09
    [InlineData(5, 5, 4, 20, true)]   // empty width
    public void PublishedLimits(double x0, double y0, double x1, double y1, bool rejected) =>
        Assert.Equal(rejected, Published.Rejects(new BoxXyxy(x0, y0, x1, y1), 100, 100));

    [Fact]
    public void ReadFromTheGoldenTrainingConfig()
    {
        var config = ConfigLoader.Load(ConfigFamily.VideoAnalyst, Path.Combine(TestPaths.Shared, "golden", "siamfcpp_small", "config_train_track.yaml"));
        Assert.Equal(Published, SiamFCppPairFilter.FromConfig(config));

        var unknown = ConfigLoader.Load(ConfigFamily.VideoAnalyst, config.Files[0], "data.sampler.submodules.filter.name=BoxFilter");
        var e = Assert.Throws<ConfigException>(() => SiamFCppPairFilter.FromConfig(unknown));
        Assert.Contains("data.sampler.submodules.filter.name", e.Message);

        var none = ConfigLoader.Load(ConfigFamily.VideoAnalyst, config.Files[0], "data.sampler.submodules.filter.name=''");
        Assert.Null(SiamFCppPairFilter.FromConfig(none));
    }

    [Fact]
    public void RejectedPairsAreRedrawsNotSamples()
    {
        var otb = new[] { (ISequenceDataset)DatasetReader.Open(Path.Combine(TestPaths.Shared, "data", "otb")) };
        var sampler = SiamFCppSampleFunction.CreateSampler(otb, 0, 100, seed: 3);
        // No OTB target covers less than 0.01 % of its frame: this filter rejects every pair.
        var rejectAll = new SiamFCppSampleFunction(sampler, otb, new SiamFCppSampleBuilder()) { Filter = new(0, 1e-4, 10) };
        Assert.Null(rejectAll.Build(new SampleContext(0, 0, 0, new Random(1))));
        var loader = new SampleLoader<SiamFCppTrainingSample>(rejectAll.AsSampleFunction(),
            new LoaderOptions { BatchSize = 1, EpochLength = 1, Workers = 1, MaxInvalidDraws = 3 });
        var e = Assert.Throws<SampleLoaderException>(() => loader.BuildSample(0, 0));
        Assert.Contains("3 draws in a row were rejected", e.Message);

        var keepAll = new SiamFCppSampleFunction(sampler, otb, new SiamFCppSampleBuilder()) { Filter = new(0, 1, 1000) };
        using var sample = keepAll.Build(new SampleContext(0, 0, 0, new Random(1)));
        Assert.NotNull(sample);
    }
}
