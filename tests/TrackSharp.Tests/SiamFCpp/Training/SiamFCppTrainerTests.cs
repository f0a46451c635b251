using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Data.Synthetic;
using TrackSharp.Tests.Cli;
using TrackSharp.Tests.Training;
using TrackSharp.Trackers.SiamFCpp.Training;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.SiamFCpp.Training;

/// <summary>
/// SiamFC++ training end to end on the golden small model (config_train_track.yaml, width/4 AlexNet), shrunk to a
/// few iterations of a few pairs: the <c>train</c> verb on the OTB sequences of shared/data (falling loss, the
/// reference's TensorBoard tags, epoch checkpoints), and on synthetic GOT-10k sequences a run stopped in the middle
/// of an epoch and resumed, which must end with the weights and optimizer state of an uninterrupted run, bit for bit.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class SiamFCppTrainerTests(ITestOutputHelper output)
{
    private static string Golden => Path.Combine(TestPaths.Shared, "golden", "siamfcpp_small");
    private static string GoldenConfig => Path.Combine(Golden, "config_train_track.yaml");

    /// <summary>Overrides that shrink the published schedule to <paramref name="iterations"/> iterations of
    /// <paramref name="batch"/> pairs per epoch (data and LR policy alike) and train on --data only.</summary>
    private static string[] Small(int batch, int iterations, int epochs) =>
    [
        $"data.minibatch={batch}", $"data.nr_image_per_epoch={batch * iterations}", $"data.num_epochs={epochs}", "data.num_workers=2",
        $"optim.optimizer.SGD.minibatch={batch}", $"optim.optimizer.SGD.nr_image_per_epoch={batch * iterations}",
        "data.sampler.submodules.dataset.names=[]",
    ];

    [Fact]
    public void TrainVerbOnSharedOtbSequencesLowersTheLoss()
    {
        using var scratch = TrainerTestKit.Scratch();
        string outDir = scratch.Path;
        const int iterations = 12, epochs = 2;
        var result = CliRunner.Run([
            "train", "--config", GoldenConfig, "--out", outDir, "--data", $"otb={Path.Combine(TestPaths.Shared, "data", "otb")}",
            .. Small(4, iterations, epochs), $"model.task_model.SiamTrack.pretrain_model_path={Path.Combine(Golden, "weights.pth")}",
        ]);
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Errors);

        // Every iteration logged under the reference's tags at its global step.
        var events = TrainerTestKit.TensorBoardEvents(outDir);
        double[] Series(string tag) => TrainerTestKit.ScalarSeries(events, tag, iterations * epochs);
        var cls = Series("training_losses/cls");
        var ctr = Series("training_losses/ctr");
        var reg = Series("training_losses/reg");
        var iou = Series("extras/reg/iou");
        var lr = Series("schedule_info/lr");
        var total = cls.Select((c, i) => c + ctr[i] + reg[i]).ToArray();
        output.WriteLine("total: " + string.Join(" ", total.Select(t => t.ToString("F3"))));

        // LR policy: linear 1e-6 → 0.08 over the first epoch, so step 0 is 1e-6 and step 12 (epoch 1, it 0) 0.08.
        Assert.Equal(1e-6, lr[0], 1e-9);
        Assert.Equal(1e-6 + (0.08 - 1e-6) * 6 / 12, lr[6], 1e-7);
        Assert.Equal(0.08, lr[iterations], 1e-7);

        double first = total.Take(4).Average(), last = total.TakeLast(4).Average();
        output.WriteLine($"mean total loss: first 4 iterations {first:F3}, last 4 {last:F3}; IoU {iou.Take(4).Average():F3} -> {iou.TakeLast(4).Average():F3}");
        Assert.True(last < 0.75 * first, $"loss did not fall: first 4 iterations {first:F3}, last 4 {last:F3}");
        Assert.True(iou.TakeLast(4).Average() > iou.Take(4).Average(), "mean IoU of the positives did not rise");

        // video_analyst's snapshot names, loadable as state dicts.
        foreach (int e in new[] { 0, 1 })
        {
            string weights = Path.Combine(outDir, "checkpoints", $"epoch-{e}.pkl");
            Assert.True(File.Exists(weights), weights);
            using var state = StateDict.Load(weights);
            Assert.Contains("head.cls_score_p5.conv.weight", state.Keys);
        }
        Assert.True(File.Exists(Path.Combine(outDir, "config.yaml")));
    }

    [Fact]
    public void RunStoppedMidEpochAndResumedEqualsAnUninterruptedRun()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string data = Path.Combine(root, "synthetic");
        SyntheticDataset.Write(data, new SyntheticOptions { Sequences = 3, Frames = 12, Width = 160, Height = 120, Seed = 7 });
        var config = ConfigLoader.Load(ConfigFamily.VideoAnalyst, GoldenConfig, Small(batch: 2, iterations: 3, epochs: 2));
        var dataRoots = new Dictionary<string, string> { ["got10k"] = data };

        string straight = Path.Combine(root, "straight"), stopped = Path.Combine(root, "stopped");
        // Cancelled after step 4: epoch 1, iteration 1 done, in the middle of the second epoch.
        TrainerTestKit.StraightStoppedResumed(request => new SiamFCppTrainer(request), config, dataRoots, straight, stopped, cancelAfterStep: 4, stoppedAtStep: 5);

        TrainerTestKit.AssertSameWeights(Path.Combine(straight, "checkpoints", "epoch-1.pkl"), Path.Combine(stopped, "checkpoints", "epoch-1.pkl"), output);
        TrainerTestKit.AssertSameOptimizerState(Path.Combine(straight, "checkpoints", "epoch-1.pkl.optim.pth"),
            Path.Combine(stopped, "checkpoints", "epoch-1.pkl.optim.pth"), "momentum buffers", output);
    }

    [Fact]
    public void ConfiguredDatasetWithoutAReaderIsNamed()
    {
        var config = ConfigLoader.Load(ConfigFamily.VideoAnalyst, GoldenConfig, "data.sampler.submodules.dataset.names=[TrackingNetDataset]");
        var e = Assert.Throws<ConfigException>(() => SiamFCppTrainingDatasets.Resolve(config, new Dictionary<string, string>()));
        Assert.Contains("data.sampler.submodules.dataset.names", e.Message);
        Assert.Contains("TrackingNetDataset", e.Message);
    }

    [Fact]
    public void DataOptionMovesAConfiguredDatasetOrAddsOne()
    {
        var config = ConfigLoader.Load(ConfigFamily.VideoAnalyst, GoldenConfig);
        var moved = SiamFCppTrainingDatasets.Resolve(config, new Dictionary<string, string> { ["got10k"] = "/data/got" });
        Assert.Equal("GOT10kDataset", Assert.Single(moved).Name);
        Assert.Equal("/data/got", moved[0].Root);
        Assert.Equal(100, moved[0].MaxDiff);

        var added = SiamFCppTrainingDatasets.Resolve(config, new Dictionary<string, string> { ["otb"] = "/data/otb" });
        Assert.Equal(["GOT10kDataset", "otb"], added.Select(d => d.Name));
        Assert.Equal("datasets/GOT-10k", added[0].Root); // the config's root (no train/ folder there to descend into)
    }

    [Fact]
    public void MissingDatasetFolderNamesTheDatasetAndTheOption()
    {
        var config = ConfigLoader.Load(ConfigFamily.VideoAnalyst, GoldenConfig);
        var e = Assert.Throws<DirectoryNotFoundException>(() => new SiamFCppTrainer(new TrainRequest
        {
            Config = config, OutputDirectory = TinyTraining.TempDir(),
        }));
        Assert.Contains("GOT10kDataset", e.Message);
        Assert.Contains("--data GOT10kDataset=PATH", e.Message);
    }
}
