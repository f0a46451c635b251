using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Data.Crop511;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Synthetic;
using TrackSharp.Tests.Cli;
using TrackSharp.Tests.Training;
using TrackSharp.Trackers.SiamBAN;
using TrackSharp.Trackers.SiamBAN.Training;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.SiamBAN.Training;

/// <summary>
/// SiamBAN training on the golden small model (golden/siamban_small/config.yaml): one step of the trainer's task on the
/// golden batch against the reference trainer's epoch-0 step (<c>train_step.npz b/*</c>); the <c>train</c> verb on
/// crop511 data converted from shared/data OTB (falling loss, pysot's log lines and checkpoint names, TensorBoard);
/// a run stopped in the middle of an epoch, across the backbone unfreezing, and resumed, which must end with the weights
/// and optimizer state of an uninterrupted run, bit for bit.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class SiamBanTrainerTests(ITestOutputHelper output)
{
    private static string Golden => Path.Combine(TestPaths.Shared, "golden", "siamban_small");
    private static string GoldenConfig => Path.Combine(Golden, "config.yaml");

    /// <summary>Shrinks the run: <paramref name="iterations"/> iterations of <paramref name="batch"/> pairs, one warm-up
    /// epoch, the backbone unfrozen from epoch <paramref name="trainEpoch"/>, --data datasets only.</summary>
    private static string[] Small(int batch, int iterations, int epochs, int trainEpoch) =>
    [
        $"TRAIN.BATCH_SIZE={batch}", $"DATASET.VIDEOS_PER_EPOCH={batch * iterations}", $"TRAIN.EPOCH={epochs}",
        "TRAIN.LR_WARMUP.EPOCH=1", $"BACKBONE.TRAIN_EPOCH={trainEpoch}", "TRAIN.NUM_WORKERS=2", "TRAIN.PRINT_FREQ=5",
        "DATASET.NAMES=[]",
    ];

    [Fact]
    public void TaskStepAtEpochZeroReproducesTheReferenceTrainerStep()
    {
        using var npz = Npz.Load(Path.Combine(Golden, "train_step.npz"));
        var config = ConfigLoader.Load(ConfigFamily.SiamBan, GoldenConfig);
        var settings = SiamBanTrainSettings.FromConfig(config);
        using var model = SiamBanFactory.LoadModel(Path.Combine(Golden, "weights.pth"), SiamBanModelOptions.FromConfig(config));
        var loader = new SampleLoader<SiamBanTrainingSample>(_ => throw new InvalidOperationException("not used"),
            new LoaderOptions { BatchSize = 2, EpochLength = 2 });
        var optimizer = new SiamBanOptimizer(model, settings.Lr, settings.BackboneTrainLayers, settings.Momentum, settings.WeightDecay);
        using var task = new SiamBanTrainingTask(model, optimizer, loader, settings);

        var samples = Enumerable.Range(0, 2).Select(i => new SiamBanTrainingSample(
            npz.Tensor("template_hwc_bgr")[i].permute(2, 0, 1).to(ScalarType.Float32).contiguous(),
            npz.Tensor("search_hwc_bgr")[i].permute(2, 0, 1).to(ScalarType.Float32).contiguous(),
            npz.Tensor("label_cls")[i].clone(), npz.Tensor("label_loc")[i].clone(), zeros(4))).ToList();
        using var batch = TensorBatch.Collate(samples);
        foreach (var s in samples) s.Dispose();

        using var scope = NewDisposeScope();
        var at = new TrainingPosition(0, 0, 1);
        model.train();
        task.BeginEpoch(0);
        var schedule = task.Schedule(at);
        Assert.Equal(npz["b/group_lrs"].ToDoubleArray(), task.GroupLrs.ToArray());
        Assert.Equal(0.001, schedule.Single(s => s.Key == "lr").Value, 15); // warm-up start (meta.json lr_schedule)
        task.Optimizer.zero_grad();
        var step = task.Forward(batch, at);
        var total = step.Losses[0].Value + step.Losses[1].Value;
        Assert.Equal(npz["b/cls_loss"].ToFloatArray()[0], step.Losses[0].Value.item<float>(), 5);
        Assert.Equal(npz["b/loc_loss"].ToFloatArray()[0], step.Losses[1].Value.item<float>(), 5);
        total.backward();
        var named = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var before = named.ToDictionary(p => p.Key, p => p.Value.detach().clone());
        task.AfterBackward(at);
        task.Optimizer.step();

        // Frozen backbone: in the optimizer's first group but without gradients, so untouched (no weight decay either).
        foreach (var (name, p) in named.Where(p => p.Key.StartsWith("backbone.")))
            Assert.True(p.detach().eq(before[name]).all().item<bool>(), $"{name} moved although the backbone is frozen at epoch 0");
        double worst = 0;
        foreach (var name in npz["b/trainable_names"].ToStringArray())
        {
            if (name.StartsWith("neck.") && name.EndsWith(".downsample.1.bias")) continue; // loss-invariant (see SiamBanLossTests)
            using var expected = npz.Tensor($"b/param_after/{name}").to(ScalarType.Float64);
            using var update = named[name].detach().to(ScalarType.Float64) - before[name].to(ScalarType.Float64);
            using var goldenUpdate = expected - before[name].to(ScalarType.Float64);
            double rel = ((update - goldenUpdate).norm() / goldenUpdate.norm()).item<double>();
            worst = Math.Max(worst, rel);
            Assert.True(rel <= 1e-4, $"b/param_after/{name}: update norm-relative error {rel:E3}");
        }
        output.WriteLine($"b/param_after: worst update norm-relative error {worst:E2}");
    }

    [Fact]
    public void TrainVerbOnCrop511FromSharedOtbLowersTheLoss()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string data = Path.Combine(root, "otb511");
        foreach (string seq in new[] { "Crossing", "DragonBaby", "MotorRolling" })
            Crop511Writer.Convert(DatasetReader.Open(Path.Combine(TestPaths.Shared, "data", "otb", seq), DatasetFormat.Otb),
                Path.Combine(root, "parts", seq), new Crop511Options { Threads = 2 });
        MergeInto(data, root);
        string outDir = Path.Combine(root, "run");
        const int iterations = 40, epochs = 2;
        var result = CliRunner.Run([
            "train", "--config", GoldenConfig, "--out", outDir, "--data", $"OTB={data}",
            .. Small(4, iterations, epochs, trainEpoch: 1), $"TRAIN.PRETRAINED={Path.Combine(Golden, "weights.pth")}",
            "TRAIN.BASE_LR=0.01", "--log-file", Path.Combine(root, "train.log"),
        ]);
        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        string log = File.ReadAllText(Path.Combine(root, "train.log"));
        Assert.Contains("Progress: 5 / 80 [6%], Speed: ", log);
        Assert.Contains("Epoch: [1][5/40] lr: 0.001000", log);
        Assert.Contains("\tcls_loss: ", log);

        var events = TrainerTestKit.TensorBoardEvents(outDir);
        double[] Series(string tag) => TrainerTestKit.ScalarSeries(events, tag, iterations * epochs);
        var cls = Series("training_losses/cls_loss");
        var loc = Series("training_losses/loc_loss");
        var total = cls.Select((c, i) => c + loc[i]).ToArray();
        output.WriteLine("total: " + string.Join(" ", total.Select(t => t.ToString("F3"))));
        double first = total.Take(10).Average(), last = total.TakeLast(10).Average();
        output.WriteLine($"mean total loss: first 10 iterations {first:F3}, last 10 {last:F3}");
        Assert.True(last < 0.9 * first, $"loss did not fall: first 10 iterations {first:F3}, last 10 {last:F3}");

        // pysot's lr per epoch: warm-up epoch 0 at its start_lr, then the log schedule's first value 0.01 (the base lr).
        var lr = Series("schedule_info/lr");
        Assert.Equal(0.001, lr[0], 9); // TensorBoard stores float32
        Assert.Equal(0.005, lr[iterations], 9); // TRAIN.LR start_lr of the golden config
        foreach (int e in new[] { 1, 2 })
        {
            string weights = Path.Combine(outDir, "checkpoints", $"checkpoint_e{e}.pth");
            Assert.True(File.Exists(weights), weights);
            using var state = StateDict.Load(weights);
            Assert.Contains("head.box2.cls.head.3.weight", state.Keys);
        }
    }

    /// <summary>Merges per-sequence conversions into one crop511 folder (videos are distinct, so the JSON objects concatenate).</summary>
    private static void MergeInto(string data, string root)
    {
        Directory.CreateDirectory(Path.Combine(data, "crop511"));
        var parts = new List<string>();
        foreach (var part in Directory.GetDirectories(Path.Combine(root, "parts")).Order())
        {
            foreach (var video in Directory.GetDirectories(Path.Combine(part, "crop511")))
                Directory.Move(video, Path.Combine(data, "crop511", Path.GetFileName(video)));
            string json = File.ReadAllText(Path.Combine(part, "train.json")).Trim();
            parts.Add(json[1..^1]);
        }
        File.WriteAllText(Path.Combine(data, "train.json"), "{" + string.Join(",", parts) + "}");
    }

    [Fact]
    public void RunStoppedMidEpochAndResumedAcrossTheBackboneUnfreezingEqualsAnUninterruptedRun()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string synthetic = Path.Combine(root, "synthetic"), data = Path.Combine(root, "synthetic511");
        SyntheticDataset.Write(synthetic, new SyntheticOptions { Sequences = 3, Frames = 10, Width = 160, Height = 120, Seed = 7 });
        Crop511Writer.Convert(DatasetReader.Open(synthetic, DatasetFormat.Got10k), data);
        var config = ConfigLoader.Load(ConfigFamily.SiamBan, GoldenConfig, [.. Small(batch: 2, iterations: 3, epochs: 3, trainEpoch: 1), "DATASET.GRAY=0.3"]);
        var dataRoots = new Dictionary<string, string> { ["SYNTH"] = data };

        string straight = Path.Combine(root, "straight"), stopped = Path.Combine(root, "stopped");
        // Cancelled after step 4: epoch 1 (backbone unfrozen, optimizer rebuilt), iteration 1 done.
        TrainerTestKit.StraightStoppedResumed(request => new SiamBanTrainer(request), config, dataRoots, straight, stopped, cancelAfterStep: 4, stoppedAtStep: 5);

        using (var a = StateDict.Load(Path.Combine(straight, "checkpoints", "checkpoint_e3.pth")))
        using (var b = StateDict.Load(Path.Combine(stopped, "checkpoints", "checkpoint_e3.pth")))
        using (var e1 = StateDict.Load(Path.Combine(straight, "checkpoints", "checkpoint_e1.pth")))
        {
            TrainerTestKit.AssertSameWeights(a, b, output);
            // The backbone trained after epoch 1 (layer2..4), the stem never did.
            Assert.False(a["backbone.layer3.0.conv1.weight"].bytes.SequenceEqual(e1["backbone.layer3.0.conv1.weight"].bytes));
            Assert.True(a["backbone.conv1.weight"].bytes.SequenceEqual(e1["backbone.conv1.weight"].bytes));
        }
        TrainerTestKit.AssertSameOptimizerState(Path.Combine(straight, "checkpoints", "checkpoint_e3.pth.optim.pth"),
            Path.Combine(stopped, "checkpoints", "checkpoint_e3.pth.optim.pth"), "momentum buffers", output);
    }

    [Fact]
    public void ConfiguredDatasetWithoutFilesNamesTheKey()
    {
        var config = ConfigLoader.Load(ConfigFamily.SiamBan, GoldenConfig);
        var e = Assert.ThrowsAny<Exception>(() => new SiamBanTrainer(new TrainRequest
        {
            Config = config, OutputDirectory = TinyTraining.TempDir(),
        }));
        Assert.Contains("DATASET.VID.ROOT", e.Message);
    }

    [Fact]
    public void PysotProgressLineByHand()
    {
        // 100 of 1000 iterations at 0.5 s: 450 s left = 0 days, 0 hours, 7 minutes.
        Assert.Equal("Progress: 100 / 1000 [10%], Speed: 0.500 s/iter, ETA 0:00:07 (D:H:M)", PysotLogMonitor.Progress(100, 1000, 0.5));
        // 1 of 200000 at 1.3 s: 259998.7 s = 3 days (259200 s) + 798.7 s = 0 h 13 min.
        Assert.Equal("Progress: 1 / 200000 [0%], Speed: 1.300 s/iter, ETA 3:00:13 (D:H:M)", PysotLogMonitor.Progress(1, 200000, 1.3));
    }
}
