using TrackSharp.Config;
using TrackSharp.Trackers.SiamFCpp.Training;
using TrackSharp.Training.Schedules;
using Xunit;

namespace TrackSharp.Tests.SiamFCpp.Training;

/// <summary>
/// The training sections of golden siamfcpp_small/config_train_track.yaml read into typed settings: every value
/// equals the file (expected values typed in from the file here); bad values name their key.
/// </summary>
public class SiamFCppTrainSettingsTests
{
    private static string ConfigPath => Path.Combine(SiamFCppForwardFixture.Folder, "config_train_track.yaml");

    [Fact]
    public void GoldenTrainConfigIsReadAsWritten()
    {
        var s = SiamFCppTrainSettings.FromConfig(ConfigFamily.VideoAnalyst.Load(ConfigPath));
        Assert.Equal(0.1, s.NegativePairRatio);
        Assert.Equal(new SiamFCppCropSettings(0.5, 0.3, 0.4, 0.0, 0.0, 127, 303), s.Crop);
        Assert.Equal(new SiamFCppTargetSettings(127, 303, 17, 87, 8, 3), s.Target);
        Assert.Equal(new SiamFCppSgdSettings(0.1, 0.9, 5e-5, false, 0, 32, 400000), s.Sgd);
        Assert.Equal(12500, s.Sgd.IterationsPerEpoch);
        Assert.Equal([LrPhase.Linear(1e-6, 0.08, 1), LrPhase.Cosine(0.08, 1e-6, 19)], s.LrPolicy);
        Assert.Equal(2, s.LrMultipliers.Count);
        Assert.Equal(("backbone", "basemodel", 0.1), (s.LrMultipliers[0].Name, s.LrMultipliers[0].Regex, s.LrMultipliers[0].Ratio));
        Assert.Equal(("other", "^((?!basemodel).)*$", 1.0), (s.LrMultipliers[1].Name, s.LrMultipliers[1].Regex, s.LrMultipliers[1].Ratio));
        Assert.Equal(
        [
            new FreezeRule("isConv", @"basemodel\.conv.\.conv.*", 0, true),
            new FreezeRule("isConv5", @"basemodel\.conv5\.conv.*", 5, false),
            new FreezeRule("isConv4", @"basemodel\.conv4\.conv.*", 10, false),
            new FreezeRule("isConv3", @"basemodel\.conv3\.conv.*", 15, false),
        ], s.FreezeSchedule);
        Assert.Equal((32, 400000, 20, 12500), (s.Minibatch, s.NrImagePerEpoch, s.NumEpochs, s.IterationsPerEpoch));
        Assert.Equal(MultiStageLrSchedule.SiamFCppAlexNet().LearningRate(5, 0), s.LrSchedule().LearningRate(5, 0));
        var target = s.Target.CreateTarget();
        Assert.Equal((17, 87, 8), (target.ScoreSize, target.ScoreOffset, target.TotalStride));
    }

    [Theory]
    [InlineData("data.sampler.TrackPairSampler.negative_pair_ratio=1.5", "data.sampler.TrackPairSampler.negative_pair_ratio")]
    [InlineData("data.transformer.RandomCropTransformer.max_shift=-0.1", "data.transformer.RandomCropTransformer")]
    [InlineData("data.minibatch=0", "data.minibatch")]
    [InlineData("""optim.optimizer.SGD.lr_policy=['{ "name": "StepLR", "start_lr": 0.1, "end_lr": 0.01, "max_epoch": 1 }']""", "optim.optimizer.SGD.lr_policy[0]")]
    [InlineData("""optim.optimizer.SGD.lr_multiplier=['{ "name": "all", "regex": "(", "ratio": 1 }']""", "optim.optimizer.SGD.lr_multiplier")]
    [InlineData("""optim.grad_modifier.DynamicFreezer.schedule=['{ "name": "x", "regex": "conv", "epoch": 0 }']""", "optim.grad_modifier.DynamicFreezer.schedule")]
    [InlineData("optim.grad_modifier.DynamicFreezer.schedule=['not json']", "optim.grad_modifier.DynamicFreezer.schedule")]
    public void BadValuesNameTheirKey(string overrideText, string key)
    {
        var config = ConfigFamily.VideoAnalyst.Load(ConfigPath, [overrideText]);
        var e = Assert.Throws<ConfigException>(() => SiamFCppTrainSettings.FromConfig(config));
        Assert.Contains(key, e.Message);
    }
}
