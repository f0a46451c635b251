using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Data.Crop511;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Synthetic;
using TrackSharp.Data.Targets;
using TrackSharp.Tests.Cli;
using TrackSharp.Tests.Training;
using TrackSharp.Trackers;
using TrackSharp.Trackers.NanoTrack;
using TrackSharp.Trackers.NanoTrack.Training;
using TrackSharp.Trackers.SiamBAN.Training;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.NanoTrack.Training;

/// <summary>
/// NanoTrack training on the SiamBAN pipeline: the shipped configs against the reference's recorded LR schedule
/// (golden/nanotrack/v*/meta.json) and the tracker's point grid (golden <c>points</c>); a short fine-tuning of the shipped
/// v2 weights through the <c>train</c> verb on crop511 data made from <c>datasets synthesize</c> output (stable or
/// falling loss, backbone frozen before BACKBONE.TRAIN_EPOCH); a v3 run from scratch stopped mid-epoch after the
/// backbone unfreezing and resumed, equal bit for bit to an uninterrupted run; config errors naming their key.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class NanoTrackTrainerTests(ITestOutputHelper output)
{
    private static string Experiment(NanoTrackVersion v) => Path.Combine(TestPaths.RepoRoot, "experiments", $"nanotrack_{v.Name()}.yaml");

    /// <summary><paramref name="iterations"/> iterations of <paramref name="batch"/> pairs, --data datasets only.</summary>
    private static string[] Small(int batch, int iterations, int epochs, int trainEpoch) =>
    [
        $"TRAIN.BATCH_SIZE={batch}", $"DATASET.VIDEOS_PER_EPOCH={batch * iterations}", $"TRAIN.EPOCH={epochs}",
        "TRAIN.LR_WARMUP.EPOCH=1", $"BACKBONE.TRAIN_EPOCH={trainEpoch}", "TRAIN.NUM_WORKERS=2", "TRAIN.PRINT_FREQ=5",
        "DATASET.NAMES=[]",
    ];

    private static string SyntheticCrop511(string root, int sequences, int frames, int seed)
    {
        string synthetic = Path.Combine(root, "synthetic"), data = Path.Combine(root, "synthetic511");
        SyntheticDataset.Write(synthetic, new SyntheticOptions { Sequences = sequences, Frames = frames, Width = 160, Height = 120, Seed = seed });
        Crop511Writer.Convert(DatasetReader.Open(synthetic, DatasetFormat.Got10k), data);
        return data;
    }

    [Theory]
    [InlineData(NanoTrackVersion.V2)]
    [InlineData(NanoTrackVersion.V3)]
    public void ShippedConfigGivesTheReferenceLrScheduleOfEveryGroup(NanoTrackVersion version)
    {
        var config = ConfigLoader.Load(ConfigFamily.SiamBan, Experiment(version));
        var settings = SiamBanTrainSettings.FromConfig(config, checkOutputSize: false);
        using var golden = new NanoTrackGolden(version);
        var schedule = golden.Meta.GetProperty("lr_schedule");
        var spaces = schedule.GetProperty("lr_spaces").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var groups = schedule.GetProperty("per_epoch_group_lrs_backbone_neck_head").EnumerateArray()
            .Select(e => e.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
        Assert.Equal(50, settings.Epochs);
        Assert.Equal(spaces.Length, settings.Epochs);

        using var model = new NanoTrackModel(version);
        using var optimizer = new SiamBanOptimizer(model.Backbone, model.Neck, model.HeadModule, settings.Lr, settings.BackboneTrainLayers,
            settings.Momentum, settings.WeightDecay);
        // 'features' holds every backbone parameter; the neck and head groups hold theirs.
        Assert.Equal(model.Backbone.parameters().Count(), optimizer.GroupSizes[0]);
        Assert.Equal(model.Neck.parameters().Count(), optimizer.GroupSizes[1]);
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            var (lr, groupLrs) = optimizer.SetEpoch(epoch);
            Assert.Equal(spaces[epoch], lr, 12);
            for (int g = 0; g < 3; g++) Assert.Equal(groups[epoch][g], groupLrs[g], 12);
        }
    }

    [Theory]
    [InlineData(NanoTrackVersion.V2, 16)]
    [InlineData(NanoTrackVersion.V3, 15)]
    public void TrainingPointGridIsTheTrackersGridInSearchImagePixels(NanoTrackVersion version, int size)
    {
        var config = ConfigLoader.Load(ConfigFamily.SiamBan, Experiment(version));
        var settings = SiamBanTrainSettings.FromConfig(config, checkOutputSize: false);
        Assert.Equal(size, settings.OutputSize);
        Assert.Equal(16, settings.PointStride);
        var target = new PointTarget(settings.PointStride, settings.OutputSize, settings.SearchSize, settings.PosNum, settings.TotalNum, settings.NegNum);
        using var golden = new NanoTrackGolden(version);
        var points = golden.F32("points"); // N x 2 (x, y), relative to the search-crop centre, row-major
        var grid = target.Points;           // [2, S, S] search-image pixels
        Assert.Equal(size * size * 2, points.Length);
        for (int i = 0; i < size * size; i++)
        {
            // centre 255 // 2 = 127 (the reference's Point(stride, size, SEARCH_SIZE // 2)).
            Assert.Equal(points[2 * i] + 127, grid[i]);
            Assert.Equal(points[2 * i + 1] + 127, grid[size * size + i]);
        }
    }

    [Fact]
    public void SiamBanSizeCheckRejectsTheV3MapWhichTheNanoTrackTrainerAccepts()
    {
        var config = ConfigLoader.Load(ConfigFamily.SiamBan, Experiment(NanoTrackVersion.V3));
        // (255 - 127) / 16 + 1 + BASE_SIZE 7 = 16, not 15.
        var e = Assert.Throws<ConfigException>(() => SiamBanTrainSettings.FromConfig(config));
        Assert.Contains("TRAIN.OUTPUT_SIZE", e.Message);
        Assert.Equal(15, SiamBanTrainSettings.FromConfig(config, checkOutputSize: false).OutputSize);
    }

    [Fact]
    public void RegistryPicksTheNanoTrackTrainerForItsConfigsOnly()
    {
        var registry = new TrainerRegistry();
        BuiltInTrainers.Register(registry);
        foreach (var v in new[] { NanoTrackVersion.V2, NanoTrackVersion.V3 })
            Assert.Equal("nanotrack", registry.Find(ConfigLoader.Load(ConfigFamily.SiamBan, Experiment(v))).Name);
        var siamban = ConfigLoader.Load(ConfigFamily.SiamBan, Path.Combine(TestPaths.RepoRoot, "experiments", "siamban_r50_l234.yaml"));
        Assert.Equal("siamban", registry.Find(siamban).Name);
    }

    [Fact]
    public void FineTuningTheShippedV2WeightsOnSyntheticCrop511KeepsTheLossAndTheFrozenBackbone()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string data = SyntheticCrop511(root, sequences: 6, frames: 20, seed: 3);
        string outDir = Path.Combine(root, "run");
        const int iterations = 15, epochs = 2;
        var result = CliRunner.Run([
            "train", "--config", Experiment(NanoTrackVersion.V2), "--out", outDir, "--data", $"SYNTH={data}",
            .. Small(8, iterations, epochs, trainEpoch: 10), "--log-file", Path.Combine(root, "train.log"),
        ]);
        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        string log = File.ReadAllText(Path.Combine(root, "train.log"));
        Assert.Contains("TRAIN.PRETRAINED: NanoTrack v2 weights from ", log);
        Assert.Contains("Epoch: [1][5/15] lr: 0.001000", log);

        var events = TrainerTestKit.TensorBoardEvents(outDir);
        double[] Series(string tag) => TrainerTestKit.ScalarSeries(events, tag, iterations * epochs);
        var cls = Series("training_losses/cls_loss");
        var loc = Series("training_losses/loc_loss");
        var total = cls.Select((c, i) => c + loc[i]).ToArray();
        output.WriteLine("total: " + string.Join(" ", total.Select(t => t.ToString("F3", System.Globalization.CultureInfo.InvariantCulture))));
        double first = total.Take(10).Average(), last = total.TakeLast(10).Average();
        output.WriteLine($"mean total loss: first 10 iterations {first:F3}, last 10 {last:F3}");
        Assert.All(total, t => Assert.True(double.IsFinite(t)));
        // Fine-tuning starts from a trained tracker: the loss must stay (within noise) or fall, not grow.
        Assert.True(last <= 1.1 * first, $"loss grew: first 10 iterations {first:F3}, last 10 {last:F3}");

        using var shipped = StateDict.Load(Path.Combine(TestPaths.RepoRoot, "models", "nanotrack", "nanotrackv2.pth"));
        using var trained = StateDict.Load(Path.Combine(outDir, "checkpoints", $"checkpoint_e{epochs}.pth"));
        Assert.Equal(shipped.Keys.Order(StringComparer.Ordinal), trained.Keys.Order(StringComparer.Ordinal));
        int headMoved = 0;
        foreach (var key in shipped.Keys)
        {
            bool same = shipped[key].bytes.SequenceEqual(trained[key].bytes);
            // Frozen before BACKBONE.TRAIN_EPOCH: parameters without gradients, BatchNorms in eval (statistics kept).
            if (key.StartsWith("backbone.", StringComparison.Ordinal)) Assert.True(same, $"{key} changed although the backbone is frozen");
            else if (key.StartsWith("ban_head.", StringComparison.Ordinal) && key.EndsWith(".weight", StringComparison.Ordinal) && !same) headMoved++;
        }
        Assert.True(headMoved > 10, $"only {headMoved} head weights changed");

        // The checkpoint is a NanoTrack weights file the tracker loads.
        using var model = NanoTrackFactory.LoadModel(Path.Combine(outDir, "checkpoints", $"checkpoint_e{epochs}.pth"));
        Assert.Equal(NanoTrackVersion.V2, model.Version);
    }

    [Fact]
    public void V3FromScratchStoppedMidEpochAfterTheUnfreezingAndResumedEqualsAnUninterruptedRun()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string data = SyntheticCrop511(root, sequences: 3, frames: 10, seed: 7);
        var config = ConfigLoader.Load(ConfigFamily.SiamBan, Experiment(NanoTrackVersion.V3),
            [.. Small(batch: 2, iterations: 3, epochs: 3, trainEpoch: 1), "TRAIN.PRETRAINED=''", "DATASET.GRAY=0.3"]);
        var dataRoots = new Dictionary<string, string> { ["SYNTH"] = data };

        string straight = Path.Combine(root, "straight"), stopped = Path.Combine(root, "stopped");
        // Cancelled after step 4: epoch 1 (backbone unfrozen, optimizer rebuilt), iteration 1 done.
        TrainerTestKit.StraightStoppedResumed(request =>
        {
            var trainer = new NanoTrackTrainer(request);
            Assert.Equal(NanoTrackVersion.V3, trainer.Version);
            return trainer;
        }, config, dataRoots, straight, stopped, cancelAfterStep: 4, stoppedAtStep: 5);

        using (var a = StateDict.Load(Path.Combine(straight, "checkpoints", "checkpoint_e3.pth")))
        using (var b = StateDict.Load(Path.Combine(stopped, "checkpoints", "checkpoint_e3.pth")))
        using (var e1 = StateDict.Load(Path.Combine(straight, "checkpoints", "checkpoint_e1.pth")))
        {
            TrainerTestKit.AssertSameWeights(a, b, output);
            // TRAIN_LAYERS ['features'] trained after epoch 1; the unused neck never gets a gradient (weight decay
            // needs one in SGD), so it stays as initialised.
            Assert.False(a["backbone.features.0.0.weight"].bytes.SequenceEqual(e1["backbone.features.0.0.weight"].bytes));
            Assert.True(a["neck.downsample.0.weight"].bytes.SequenceEqual(e1["neck.downsample.0.weight"].bytes));
        }
        TrainerTestKit.AssertSameOptimizerState(Path.Combine(straight, "checkpoints", "checkpoint_e3.pth.optim.pth"),
            Path.Combine(stopped, "checkpoints", "checkpoint_e3.pth.optim.pth"), "momentum buffers", output);
    }

    [Fact]
    public void OutputSizeOtherThanTheModelsMapNamesTheKey()
    {
        var config = ConfigLoader.Load(ConfigFamily.SiamBan, Experiment(NanoTrackVersion.V2), ["TRAIN.OUTPUT_SIZE=17"]);
        var e = Assert.Throws<ConfigException>(() => new NanoTrackTrainer(new TrainRequest { Config = config, OutputDirectory = TinyTraining.TempDir() }));
        Assert.Contains("TRAIN.OUTPUT_SIZE", e.Message);
        Assert.Contains("16x16", e.Message);
    }

    [Fact]
    public void PretrainedWeightsOfAnotherVersionOrMissingNameTheKey()
    {
        var v3WithV2 = ConfigLoader.Load(ConfigFamily.SiamBan, Experiment(NanoTrackVersion.V3), ["TRAIN.PRETRAINED=nanotrack/nanotrackv2.pth"]);
        var e = Assert.Throws<ConfigException>(() => NanoTrackTrainer.ResolveVersion(v3WithV2, NanoTrackTrainer.ResolveWeights(v3WithV2, "TRAIN.PRETRAINED")));
        Assert.Contains("TRAIN.PRETRAINED", e.Message);
        Assert.Contains("v2", e.Message);

        // v1 and v2 share their config: v1 weights make a v1 run.
        var v2WithV1 = ConfigLoader.Load(ConfigFamily.SiamBan, Experiment(NanoTrackVersion.V2), ["TRAIN.PRETRAINED=nanotrack/nanotrackv1.pth"]);
        Assert.Equal(NanoTrackVersion.V1, NanoTrackTrainer.ResolveVersion(v2WithV1, NanoTrackTrainer.ResolveWeights(v2WithV1, "TRAIN.PRETRAINED")));

        var missing = ConfigLoader.Load(ConfigFamily.SiamBan, Experiment(NanoTrackVersion.V2), ["TRAIN.PRETRAINED=no/such.pth"]);
        var m = Assert.Throws<ConfigException>(() => NanoTrackTrainer.ResolveWeights(missing, "TRAIN.PRETRAINED"));
        Assert.Contains("TRAIN.PRETRAINED", m.Message);
        Assert.Contains("no/such.pth", m.Message);
    }
}
