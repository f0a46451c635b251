using TrackSharp.Config;
using TrackSharp.Trackers.SiamFCpp;
using Xunit;

namespace TrackSharp.Tests.SiamFCpp;

/// <summary>
/// <see cref="SiamFCppConfigReader"/> on the golden resolved videoanalyst configs (golden/siamfcpp_small: the width-/4
/// AlexNet with head_width 64, num_conv3x3 3, head_conv_bn [false, false, true], x_size 303, and the GOT-10k test
/// tracker: test_lr 0.52, window_influence 0.21, penalty_k 0.04 per its README) and on the repository's
/// experiments/siamfcpp_*.yaml (values from video_analyst's experiment files), plus errors that name the key.
/// </summary>
public class SiamFCppConfigReaderTests
{
    private static string Golden(string file) => Path.Combine(TestPaths.Shared, "golden", "siamfcpp_small", file);
    private static string Experiment(string file) => Path.Combine(TestPaths.RepoRoot, "experiments", file);

    private static void AssertSameModel(SiamFCppModelConfig expected, SiamFCppModelConfig actual)
    {
        Assert.Equal(expected.BackboneName, actual.BackboneName);
        Assert.Equal(expected.BackboneWidths, actual.BackboneWidths);
        Assert.Equal(expected.CropPad, actual.CropPad);
        Assert.Equal(expected.BackboneHeadWidth, actual.BackboneHeadWidth);
        Assert.Equal(expected.HeadWidth, actual.HeadWidth);
        Assert.Equal(expected.NumConv3x3, actual.NumConv3x3);
        Assert.Equal(expected.HeadConvBn, actual.HeadConvBn);
        Assert.Equal(expected.NeckConvBias, actual.NeckConvBias);
        Assert.Equal(expected.TotalStride, actual.TotalStride);
        Assert.Equal(expected.ZSize, actual.ZSize);
        Assert.Equal(expected.XSize, actual.XSize);
        Assert.Equal(expected.InputSizeAdapt, actual.InputSizeAdapt);
    }

    [Theory]
    [InlineData("config_train_track.yaml")]
    [InlineData("config_test_track.yaml")]
    public void GoldenConfigsGiveTheSmallModel(string file)
    {
        var cfg = ConfigFamily.VideoAnalyst.Load(Golden(file));
        var model = SiamFCppConfigReader.ReadModel(cfg);
        // The golden README: AlexNet widths (24, 64, 96, 96, 64), head_width 64, everything else published.
        AssertSameModel(new SiamFCppModelConfig { BackboneWidths = [24, 64, 96, 96, 64], HeadWidth = 64 }, model);
        AssertSameModel(SiamFCppModelConfig.Small, model);
        AssertSameModel(SiamFCppModelConfig.Small, SiamFCppConfigReader.ReadTrackingModel(cfg));
    }

    [Fact]
    public void GoldenTestConfigGivesTheGot10kTracker()
    {
        var t = SiamFCppConfigReader.ReadTracker(ConfigFamily.VideoAnalyst.Load(Golden("config_test_track.yaml")));
        Assert.Equal(0.52, t.TestLr);
        Assert.Equal(0.21, t.WindowInfluence);
        Assert.Equal(0.04, t.PenaltyK);
        Assert.Equal(303, t.XSize);
        Assert.Equal(127, t.ZSize);
        Assert.Equal(3, t.NumConv3x3);
        Assert.Equal(8, t.TotalStride);
        Assert.Equal(0.5, t.ContextAmount);
        Assert.Equal("cosine", t.Windowing);
        Assert.Equal(10, t.MinW);
        Assert.Equal(10, t.MinH);
        Assert.Equal(17, t.ScoreSize);
        Assert.Equal(87, t.ScoreOffset);
    }

    /// <summary>Each experiment file loads, names its backbone, and builds a network with the hand-counted
    /// parameters (see <see cref="SiamFCppBackboneTests"/>); the tracking model takes the pipeline's x_size.</summary>
    [Theory]
    [InlineData("siamfcpp_alexnet.yaml", "AlexNet", 303, 303, 17, 9_655_380)]
    [InlineData("siamfcpp_googlenet.yaml", "Inception3", 289, 303, 19, 13_887_476)]
    [InlineData("siamfcpp_shufflenetv2x1_0.yaml", "ShuffleNetV2_x1_0", 303, 303, 17, 6_890_232)]
    public void ExperimentFilesLoadAndBuildTheirModel(string file, string backbone, int trainX, int trackX, int trackScore,
        long parameters)
    {
        var cfg = ConfigFamily.VideoAnalyst.Load(Experiment(file));
        var model = SiamFCppConfigReader.ReadModel(cfg);
        Assert.Equal(backbone, model.BackboneName);
        Assert.Equal(256, model.HeadWidth);
        Assert.Equal(trainX, model.XSize);
        Assert.Equal(17, model.ScoreSize); // every training config has a 17x17 score map
        var tracking = SiamFCppConfigReader.ReadTrackingModel(cfg);
        Assert.Equal(trackX, tracking.XSize);
        Assert.Equal(trackScore, tracking.ScoreSize);
        Assert.Equal("", cfg.Get<string>($"model.backbone.{backbone}.pretrain_model_path"));
        Assert.Equal("datasets/GOT-10k", cfg.Get<string>("data.sampler.submodules.dataset.GOT10kDataset.dataset_root"));
        using var net = new SiamFCppModel(tracking);
        Assert.Equal(parameters, net.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void AlexNetExperimentIsThePublishedModel()
    {
        var model = SiamFCppConfigReader.ReadTrackingModel(ConfigFamily.VideoAnalyst.Load(Experiment("siamfcpp_alexnet.yaml")));
        AssertSameModel(SiamFCppModelConfig.AlexNet, model);
        var google = SiamFCppConfigReader.ReadTrackingModel(ConfigFamily.VideoAnalyst.Load(Experiment("siamfcpp_googlenet.yaml")));
        AssertSameModel(SiamFCppModelConfig.GoogLeNet, google);
    }

    [Theory]
    [InlineData("model.backbone.name=VGG16", "model.backbone.name", "VGG16")]
    [InlineData("model.task_head.DenseboxHead.head_width=32", "model.task_head.DenseboxHead.head_width", "32")]
    [InlineData("model.task_head.DenseboxHead.score_size=19", "model.task_head.DenseboxHead.score_size", "19")]
    [InlineData("model.task_head.DenseboxHead.num_conv3x3=2", "model.task_head.DenseboxHead.head_conv_bn", "3 flags")]
    [InlineData("model.task_head.name=OtherHead", "model.task_head.name", "OtherHead")]
    [InlineData("model.task_model.SiamTrack.head_width=100", "model.task_head.DenseboxHead.head_width", "100")]
    public void BadModelValuesNameTheKey(string overrideText, string key, string detail)
    {
        var cfg = ConfigFamily.VideoAnalyst.Load(Golden("config_train_track.yaml"), [overrideText]);
        var e = Assert.Throws<ConfigException>(() => SiamFCppConfigReader.ReadModel(cfg));
        Assert.Contains(key, e.Message);
        Assert.Contains(detail, e.Message);
    }

    [Fact]
    public void BadTrackerValueNamesTheSectionAndFile()
    {
        var cfg = ConfigFamily.VideoAnalyst.Load(Golden("config_test_track.yaml"), ["pipeline.SiamFCppTracker.windowing=hamming"]);
        var e = Assert.Throws<ConfigException>(() => SiamFCppConfigReader.ReadTracker(cfg));
        Assert.Contains("pipeline.SiamFCppTracker", e.Message);
        Assert.Contains("hamming", e.Message);
        var missing = Assert.Throws<ConfigException>(() => SiamFCppConfigReader.ReadTracker(cfg, "NoSuchTracker"));
        Assert.Contains("pipeline.NoSuchTracker", missing.Message);
    }

    [Fact]
    public void ShuffleNetHeadWidthMustFeedTheNeck()
    {
        var cfg = ConfigFamily.VideoAnalyst.Load(Experiment("siamfcpp_shufflenetv2x1_0.yaml"),
            ["model.backbone.ShuffleNetV2_x1_0.head_width=128"]);
        var e = Assert.Throws<ConfigException>(() => SiamFCppConfigReader.ReadModel(cfg));
        Assert.Contains("model.backbone.ShuffleNetV2_x1_0.head_width", e.Message);
        Assert.Contains("siamfcpp_shufflenetv2x1_0.yaml", e.Message);
    }
}
