using System.Globalization;
using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Data.Synthetic;
using TrackSharp.Tests.Cli;
using TrackSharp.Tests.Training;
using TrackSharp.Trackers.TrDiMP;
using TrackSharp.Trackers.TrDiMP.Training;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.TrDiMP.Training;

/// <summary>
/// TrDiMP training end to end with experiments/trdimp/trdimp_train.yaml shrunk to the small network of
/// golden/trdimp_small (sizes read from its model_config.json), 128 px crops and a few iterations on synthetic GOT-10k
/// sequences: the <c>train</c> verb (family guessed from the file, falling loss, checkpoint names and ltr's
/// <c>{'net', 'epoch', 'net_type', 'actor_type'}</c> layout), a run stopped in the middle of an epoch and resumed (weights
/// and Adam state equal to an uninterrupted run, bit for bit; frozen layers unchanged), ltr's validation loader (every
/// <c>epoch_interval</c> epochs, <c>[val: N, i / n]</c> lines, TensorBoard <c>val/</c>, no effect on training, once per
/// epoch across a resume), and config errors naming file and key.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class TrDiMPTrainerTests(ITestOutputHelper output)
{
    private static string ConfigPath => Path.Combine(TestPaths.RepoRoot, "experiments", "trdimp", "trdimp_train.yaml");

    /// <summary>golden/trdimp_small/model_config.json's constructor_kwargs_small as overrides.</summary>
    private static string[] SmallNet()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(TrDiMPGolden.File("model_config.json")));
        var k = json.RootElement.GetProperty("constructor_kwargs_small");
        string Pair(string key) => "[" + string.Join(", ", k.GetProperty(key).EnumerateArray().Select(e => e.GetInt32())) + "]";
        string Num(string key) => k.GetProperty(key).GetDouble().ToString("R", CultureInfo.InvariantCulture);
        return
        [
            "model.backbone=resnet_baby", $"model.backbone_inplanes={k.GetProperty("backbone_inplanes").GetInt32()}",
            $"model.out_feature_dim={k.GetProperty("out_feature_dim").GetInt32()}", $"model.optim_iter={k.GetProperty("optim_iter").GetInt32()}",
            $"model.iou_input_dim={Pair("iou_input_dim")}", $"model.iou_inter_dim={Pair("iou_inter_dim")}",
            $"model.filter_size={k.GetProperty("filter_size").GetInt32()}", $"model.init_gauss_sigma={Num("init_gauss_sigma")}",
            $"model.frozen_backbone_layers=[{string.Join(", ", k.GetProperty("frozen_backbone_layers").EnumerateArray().Select(e => e.GetString()))}]",
        ];
    }

    /// <summary>Tiny run: 64 px crops (4×4 features), 16 proposals, GOT-10k only, two loader threads.</summary>
    private static string[] Tiny(int batch, int iterations, int epochs) =>
    [
        .. SmallNet(), $"settings.batch_size={batch}", $"data.train.samples_per_epoch={batch * iterations}", $"trainer.epochs={epochs}",
        "settings.num_workers=2", "settings.output_sz=64", "settings.feature_sz=4", "data.proposals.boxes_per_frame=16",
        "data.train.datasets=[got10k]",
    ];

    private static string Synthetic(string root)
    {
        string data = Path.Combine(root, "synthetic");
        SyntheticDataset.Write(data, new SyntheticOptions { Sequences = 3, Frames = 24, Width = 160, Height = 120, Seed = 7 });
        return data;
    }

    [Fact]
    public void TrainVerbOnSyntheticSequencesLowersTheLoss()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string data = Synthetic(root), outDir = Path.Combine(root, "run");
        const int iterations = 10, epochs = 2;
        var result = CliRunner.Run([
            "train", "--config", ConfigPath, "--out", outDir, "--data", $"got10k={data}", .. Tiny(2, iterations, epochs),
            "--log-file", Path.Combine(root, "train.log"),
        ]);
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Errors);
        // ltr's statistics line at every iteration (settings.print_interval 1), 1-based, epoch means of the actor's stats.
        string log = File.ReadAllText(Path.Combine(root, "train.log"));
        Assert.Contains($"from got10k ({data}, 3 sequences)", log);
        Assert.Contains("[train: 1, 1 / 10] FPS: ", log);
        Assert.Contains("[train: 2, 10 / 10] FPS: ", log);
        Assert.Matches(@"\) {2}, {2}Loss/total: \d+\.\d{5} {2}, {2}Loss/bb_ce: \d+\.\d{5} {2}, {2}Loss/loss_bb_ce: \d+\.\d{5}", log);

        var events = TrainerTestKit.TensorBoardEvents(outDir);
        double[] Series(string tag) => TrainerTestKit.ScalarSeries(events, tag, iterations * epochs);
        var total = Series("training_losses/total");
        var lr = Series("schedule_info/lr");
        output.WriteLine("total: " + string.Join(" ", total.Select(t => t.ToString("F3", CultureInfo.InvariantCulture))));
        Assert.All(lr, v => Assert.Equal(5e-5, v, 1e-10)); // classifier.filter_initializer's lr; StepLR(15) does not drop in 2 epochs
        double first = total.Take(5).Average(), last = total.TakeLast(5).Average();
        output.WriteLine($"mean total loss: first 5 iterations {first:F3}, last 5 {last:F3}");
        Assert.True(last < first, $"loss did not fall: first 5 iterations {first:F3}, last 5 {last:F3}");

        foreach (int e in new[] { 1, 2 }) // ltr saves after every epoch
        {
            string weights = Path.Combine(outDir, "checkpoints", $"DiMPnet_ep{e:0000}.pth.tar");
            Assert.True(File.Exists(weights), weights);
            // ltr's layout: {'net': state_dict, 'epoch': e, 'net_type': 'DiMPnet', 'actor_type': 'KLDiMPActor'}.
            using (var file = TorchCheckpoint.Load(weights))
            {
                var top = Assert.IsType<OrderedDictionary<string, object?>>(file.Root);
                Assert.Equal(["net", "epoch", "net_type", "actor_type"], top.Keys);
                Assert.Equal((long)e, file.Get("epoch"));
                Assert.Equal(("DiMPnet", "KLDiMPActor"), (file.Get("net_type"), file.Get("actor_type")));
            }
            using var state = StateDict.Load(weights);
            Assert.Equal("net", state.KeyPath);
            Assert.Contains(state.Keys, k => k.StartsWith("classifier.transformer.", StringComparison.Ordinal));
            Assert.Contains("bb_regressor.fc34_4r.0.weight", state.Keys);
            Assert.Contains("feature_extractor.layer3.0.conv1.weight", state.Keys);
        }
        // The tracker's loader reads the trained checkpoint strictly and recognises the small network's sizes.
        using (var net = TrDiMPCheckpoints.LoadNet(Path.Combine(outDir, "checkpoints", "DiMPnet_ep0002.pth.tar")))
            Assert.Equal((false, 16, 32, (32, 32)), (net.Config.ResNet50Backbone, net.Config.BackboneInplanes, net.Config.OutFeatureDim,
                net.Config.IouInputDim));
    }

    /// <summary>Synthetic GOT-10k sequences with ltr's votval split list (all three sequences) in the folder itself.</summary>
    private static string SyntheticWithVotval(string root)
    {
        string data = Synthetic(root);
        File.WriteAllText(Path.Combine(data, "got10k_vot_val_split.txt"), "0\n1\n2\n");
        return data;
    }

    private static List<ReadEvent> ValEvents(string runDirectory) =>
        Directory.GetFiles(Path.Combine(runDirectory, "logs", "tensorboard", "val"), "events.out.tfevents.*")
            .SelectMany(TensorBoardEventReader.ReadFile).Where(e => e.Scalars.Any(s => s.Tag == "Loss/total")).ToList();

    [Fact]
    public void ValidationRunsEveryEpochIntervalInEvalModeAndChangesNoTraining()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string data = SyntheticWithVotval(root), withVal = Path.Combine(root, "val"), without = Path.Combine(root, "noval");
        // 4 epochs of 1 iteration; validation every 2 epochs: after epochs 2 and 4 (the last one after the loop), 2 batches each.
        string[] args = [.. Tiny(2, 1, 4), "data.val.epoch_interval=2", "data.val.samples_per_epoch=4"];
        var result = CliRunner.Run(["train", "--config", ConfigPath, "--out", withVal, "--data", $"got10k={data}",
            "--data", $"got10k_votval={data}", .. args, "--log-file", Path.Combine(root, "val.log")]);
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Errors);
        string log = File.ReadAllText(Path.Combine(root, "val.log"));
        foreach (string line in new[] { "[val: 2, 1 / 2] FPS: ", "[val: 2, 2 / 2] FPS: ", "[val: 4, 1 / 2] FPS: ", "[val: 4, 2 / 2] FPS: " })
            Assert.Contains(line, log);
        Assert.DoesNotContain("[val: 1,", log);
        Assert.DoesNotContain("[val: 3,", log);

        // TensorBoard val/: one pass per validated epoch, at the training step the epoch ends on, holding the epoch mean
        // the pass's last line prints (float32 in the event file, 5 decimals in the line).
        var events = ValEvents(withVal);
        Assert.Equal([2L, 4L], events.Select(e => e.Step).Order());
        var lastLine = System.Text.RegularExpressions.Regex.Match(log, @"\[val: 4, 2 / 2\].*?Loss/total: (\d+\.\d{5})");
        Assert.True(lastLine.Success, "no Loss/total in the last val line");
        double printed = double.Parse(lastLine.Groups[1].Value, CultureInfo.InvariantCulture);
        double logged = events.Single(e => e.Step == 4).Scalars.Single(s => s.Tag == "Loss/total").Value;
        Assert.Equal(printed, logged, 5e-6 + 1e-6 * Math.Abs(printed));

        // Without a got10k_votval folder validation is off (one line), and the trained weights and Adam state are the
        // validated run's, bit for bit: validation draws nothing from the training stream and updates nothing.
        var off = CliRunner.Run(["train", "--config", ConfigPath, "--out", without, "--data", $"got10k={data}", .. args,
            "--log-file", Path.Combine(root, "noval.log")]);
        Assert.True(off.ExitCode == 0, off.Errors);
        Assert.Contains("TrDiMP validation off: no folder for data.val.datasets [got10k_votval] (give --data got10k_votval=PATH)",
            File.ReadAllText(Path.Combine(root, "noval.log")));
        Assert.False(Directory.Exists(Path.Combine(without, "logs", "tensorboard", "val")));
        string last = Path.Combine("checkpoints", "DiMPnet_ep0004.pth.tar");
        TrainerTestKit.AssertSameWeights(Path.Combine(without, last), Path.Combine(withVal, last), output);
        TrainerTestKit.AssertSameOptimizerState(Path.Combine(without, last + ".optim.pth"), Path.Combine(withVal, last + ".optim.pth"),
            "Adam moments", output);
    }

    [Fact]
    public void RunWithValidationStoppedAndResumedEqualsAnUninterruptedRunAndValidatesEachEpochOnce()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string data = SyntheticWithVotval(root);
        var config = ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath,
            [.. Tiny(batch: 2, iterations: 2, epochs: 2), "data.val.epoch_interval=1", "data.val.samples_per_epoch=2"]);
        var dataRoots = new Dictionary<string, string> { ["got10k"] = data, ["got10k_votval"] = data };
        string straight = Path.Combine(root, "straight"), stopped = Path.Combine(root, "stopped");
        // Cancelled after step 2 (epoch 2, iteration 0): epoch 1 was validated before it; the resumed run must not repeat it.
        TrainerTestKit.StraightStoppedResumed(request => new TrDiMPTrainer(request), config, dataRoots, straight, stopped,
            cancelAfterStep: 2, stoppedAtStep: 3);

        string last = Path.Combine("checkpoints", "DiMPnet_ep0002.pth.tar");
        TrainerTestKit.AssertSameWeights(Path.Combine(straight, last), Path.Combine(stopped, last), output);
        TrainerTestKit.AssertSameOptimizerState(Path.Combine(straight, last + ".optim.pth"), Path.Combine(stopped, last + ".optim.pth"),
            "Adam moments", output);
        Assert.Equal([2L, 4L], ValEvents(straight).Select(e => e.Step).Order());
        var resumedPasses = ValEvents(stopped);
        Assert.Equal([2L, 4L], resumedPasses.Select(e => e.Step).Order());
        // Same weights before each pass and the same validation batches: the same means.
        foreach (long step in new[] { 2L, 4L })
            Assert.Equal(ValEvents(straight).Single(e => e.Step == step).Scalars.Single(s => s.Tag == "Loss/total").Value,
                resumedPasses.Single(e => e.Step == step).Scalars.Single(s => s.Tag == "Loss/total").Value);
    }

    [Fact]
    public void RunStoppedMidEpochAndResumedEqualsAnUninterruptedRun()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string data = Synthetic(root);
        var config = ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath, Tiny(batch: 2, iterations: 2, epochs: 2));
        var dataRoots = new Dictionary<string, string> { ["got10k"] = data };

        string straight = Path.Combine(root, "straight"), stopped = Path.Combine(root, "stopped");
        // Cancelled after step 2: epoch 2, iteration 0 done, in the middle of the second epoch.
        TrainerTestKit.StraightStoppedResumed(request => new TrDiMPTrainer(request), config, dataRoots, straight, stopped, cancelAfterStep: 2, stoppedAtStep: 3);

        string last = "DiMPnet_ep0002.pth.tar";
        using (var a = StateDict.Load(Path.Combine(straight, "checkpoints", last)))
        using (var b = StateDict.Load(Path.Combine(stopped, "checkpoints", last)))
        using (var start = new TrDiMPTrainer(new TrainRequest { Config = config, OutputDirectory = Path.Combine(root, "fresh"), DataRoots = dataRoots }))
        {
            TrainerTestKit.AssertSameWeights(a, b, output);
            var initial = start.Net.state_dict();
            // layer3 and the heads train; conv1, bn1, layer1, layer2 are frozen (weights and BatchNorm statistics).
            foreach (var trained in new[] { "feature_extractor.layer3.0.conv1.weight", "classifier.filter_optimizer.log_step_length", "bb_regressor.fc34_4r.0.weight" })
                Assert.False(a[trained].bytes.SequenceEqual(initial[trained].bytes), $"{trained} did not change");
            foreach (var frozen in a.Keys.Where(k => k.StartsWith("feature_extractor.conv1.", StringComparison.Ordinal)
                                                    || k.StartsWith("feature_extractor.bn1.", StringComparison.Ordinal)
                                                    || k.StartsWith("feature_extractor.layer1.", StringComparison.Ordinal)
                                                    || k.StartsWith("feature_extractor.layer2.", StringComparison.Ordinal)))
                Assert.True(a[frozen].bytes.SequenceEqual(initial[frozen].bytes), $"frozen {frozen} changed");
        }
        TrainerTestKit.AssertSameOptimizerState(Path.Combine(straight, "checkpoints", last + ".optim.pth"),
            Path.Combine(stopped, "checkpoints", last + ".optim.pth"), "Adam moments", output);
    }

    [Fact]
    public void BackbonePretrainedLoadsImageNetResNetWeightsIntoTheBackbone()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string data = Synthetic(root), weights = Path.Combine(root, "resnet_baby_imagenet.pth");
        // An ImageNet-layout ResNet file (conv1, bn1, layer1..4, fc at the top level), as torchvision saves resnet50.
        TorchSharp.torch.manual_seed(123);
        using (var imagenet = TrackSharp.Trackers.TrDiMP.LtrResNet.ResNetBaby(16))
            TorchSharp.PyBridge.PyBridgeModuleExtensions.save_py(imagenet, weights);
        using var expected = StateDict.Load(weights);
        var config = ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath, [.. Tiny(2, 1, 1), $"model.backbone_pretrained={weights}"]);
        var request = new TrainRequest { Config = config, OutputDirectory = Path.Combine(root, "run"), DataRoots = new Dictionary<string, string> { ["got10k"] = data } };
        using (var trainer = new TrDiMPTrainer(request))
        {
            var state = trainer.Net.state_dict();
            foreach (var key in new[] { "conv1.weight", "bn1.running_var", "layer2.0.conv1.weight", "layer3.1.conv2.weight" })
                Assert.True(state["feature_extractor." + key].bytes.SequenceEqual(expected[key].bytes), $"feature_extractor.{key} was not loaded");
        }

        var missing = ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath, [.. Tiny(2, 1, 1), "model.backbone_pretrained=/nonexistent/resnet50.pth"]);
        var e = Assert.Throws<ConfigException>(() => new TrDiMPTrainer(new TrainRequest
        {
            Config = missing, OutputDirectory = Path.Combine(root, "run2"), DataRoots = new Dictionary<string, string> { ["got10k"] = data },
        }));
        Assert.Contains("model.backbone_pretrained", e.Message);
        Assert.Contains("/nonexistent/resnet50.pth", e.Message);
    }

    [Fact]
    public void ExperimentFileHoldsTransformerDimpsSettings()
    {
        Assert.Equal(ConfigFamily.Ltr, ConfigFamilyGuess.FromFile(ConfigPath));
        var s = TrDiMPTrainSettings.FromConfig(ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath));
        // Values typed from TransformerTrack ltr/train_settings/dimp/transformer_dimp.py.
        Assert.Equal((40, 50, 50000, 1250), (s.BatchSize, s.Epochs, s.SamplesPerEpoch, s.IterationsPerEpoch));
        Assert.Equal((500, 3, 3), (s.Sampler.MaxSampleInterval, s.Sampler.TemplateFrames, s.Sampler.SearchFrames));
        Assert.Equal(TrackSharp.Data.Sampling.FrameSampleMode.Causal, s.Sampler.Mode);
        var p = s.Processing;
        Assert.Equal((6.0, 352, 22), (p.SearchAreaFactor, p.OutputSize, p.FeatureSize));
        Assert.Equal((3.0, 5.5), p.CenterJitter);
        Assert.Equal((0.25, 0.5), p.ScaleJitter);
        Assert.Equal((TrackSharp.Data.Processing.DimpCropMode.InsideMajor, 1.5), (p.CropMode, p.MaxScaleChange));
        Assert.Equal((0.05, 0.5, 0.2, 0.5), (p.GrayscaleProbability, p.JointFlipProbability, p.BrightnessJitter, p.FlipProbability));
        Assert.Equal(128, p.ProposalsPerFrame);
        Assert.Equal([(0.05, 0.05), (0.5, 0.5)], p.ProposalSigma);
        Assert.Equal((0.05, 0.05), p.GroundTruthSigma);
        Assert.Equal(0.25 / 6, p.LabelSigmaFactor, 1e-15);
        Assert.Equal(new TrDiMPLossWeights(0.01, 100, 100, 400), s.LossWeights);
        Assert.Equal(0.05, s.HingeThreshold);
        Assert.Equal([5e-5, 5e-4, 5e-5, 1e-3, 1e-3, 2e-5], s.ParamGroups.Select(g => g.Lr));
        Assert.Equal(["classifier.filter_initializer", "classifier.filter_optimizer", "classifier.feature_extractor", "classifier.transformer",
            "bb_regressor", "feature_extractor.layer3"], s.ParamGroups.Select(g => g.Module));
        Assert.Equal((15, 0.2), (s.LrStepSize, s.LrGamma));
        Assert.Equal(["conv1", "bn1", "layer1", "layer2"], s.Net.FrozenBackboneLayers);
        Assert.Equal((true, 512, 5, 256), (s.Net.ResNet50Backbone, s.Net.OutFeatureDim, s.Net.OptimIter, s.Net.IouInputDim.Item1));
        // Got10k(split='vottrain'), TrackingNet(set_ids=list(range(4))).
        Assert.Equal(["lasot", "got10k_vottrain", "trackingnet", "coco"], s.Datasets.Select(d => d.Name));
        Assert.Equal([0, 1, 2, 3], s.TrackingNetSetIds);
        var roots = new Dictionary<string, string> { ["lasot"] = "/l", ["got10k"] = "/g", ["trackingnet"] = "/t", ["coco"] = "/c" };
        var resolved = s.ResolveDatasets(roots);
        Assert.Equal([("/l", null), ("/g", Path.Combine("/g", "got10k_vot_train_split.txt")), ("/t", null), ("/c", null)],
            resolved.Select(d => (d.Root, d.SplitFile)));
        Assert.Equal(Path.Combine("/specs", "got10k_vot_train_split.txt"),
            s.ResolveDatasets(new Dictionary<string, string>(roots) { ["got10k_splits"] = "/specs" })[1].SplitFile);
        Assert.Equal("/v", s.ResolveDatasets(new Dictionary<string, string>(roots) { ["got10k_vottrain"] = "/v" })[1].Root);
        // loader_val: DiMPSampler([Got10k(split='votval')], [1], samples_per_epoch=10000), epoch_interval=5, transform_val.
        Assert.Equal(["got10k_votval"], s.ValDatasetNames);
        Assert.Equal((10000, 250, 5), (s.ValSamplesPerEpoch, s.ValIterations, s.ValEpochInterval));
        Assert.Equal((0.0, 0.0, 0.05, 0.5), (s.ValProcessing.BrightnessJitter, s.ValProcessing.FlipProbability,
            s.ValProcessing.GrayscaleProbability, s.ValProcessing.JointFlipProbability));
        Assert.Equal((3.0, 5.5), s.ValProcessing.CenterJitter);
        Assert.Equal((10000, 500, 3, 3), (s.ValSampler.SamplesPerEpoch, s.ValSampler.MaxSampleInterval, s.ValSampler.TemplateFrames,
            s.ValSampler.SearchFrames));
        var val = Assert.Single(s.ResolveValDatasets(new Dictionary<string, string> { ["got10k_votval"] = "/g", ["got10k_splits"] = "/specs" }));
        Assert.Equal((TrackSharp.Data.Datasets.DatasetFormat.Got10k, "/g", Path.Combine("/specs", "got10k_vot_val_split.txt")),
            (val.Format, val.Root, val.SplitFile));
        Assert.Equal(Path.Combine("/g", "got10k_vot_val_split.txt"),
            Assert.Single(s.ResolveValDatasets(new Dictionary<string, string> { ["got10k_votval"] = "/g" })).SplitFile);
        Assert.Empty(s.ResolveValDatasets(new Dictionary<string, string> { ["got10k"] = "/g" }));
        Assert.All(s.Datasets, d => Assert.Equal(1.0, d.Ratio));
    }

    [Fact]
    public void BadKeysValuesAndMissingFoldersAreNamed()
    {
        var unknown = Assert.Throws<ConfigException>(() => ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath, "settings.batch_sz=4"));
        Assert.Contains("settings.batch_sz", unknown.Message);
        var cli = CliRunner.Run(["train", "--config", ConfigPath, "settings.batch_size=abc"]); // one line, exit code 2
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains("settings.batch_size", cli.Errors);

        using (var scratch = TrainerTestKit.Scratch())
        {
            Directory.CreateDirectory(scratch.Path);
            string file = Path.Combine(scratch.Path, "bad.yaml");
            File.WriteAllText(file, "settings:\n  batch_size: two\nloss_weight:\n  bb_ce: 0.01\n");
            var wrongType = Assert.Throws<ConfigException>(() => ConfigLoader.Load(ConfigFamily.Ltr, file));
            Assert.Contains("bad.yaml:2", wrongType.Message);
            Assert.Contains("settings.batch_size", wrongType.Message);
        }

        var crop = ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath, "data.crop_type=middle");
        var e = Assert.Throws<ConfigException>(() => TrDiMPTrainSettings.FromConfig(crop));
        Assert.Contains("data.crop_type", e.Message);
        Assert.Contains("middle", e.Message);

        var sizes = ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath, "settings.output_sz=128");
        Assert.Contains("settings.feature_sz", Assert.Throws<ConfigException>(() => TrDiMPTrainSettings.FromConfig(sizes)).Message);

        var valName = ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath, "data.val.datasets=[got10k_votvall]");
        Assert.Contains("data.val.datasets", Assert.Throws<ConfigException>(() => TrDiMPTrainSettings.FromConfig(valName)).Message);
        var trainName = ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath, "data.train.datasets=[got10k_votrain]");
        var badName = Assert.Throws<ConfigException>(() => TrDiMPTrainSettings.FromConfig(trainName)).Message;
        Assert.Contains("data.train.datasets", badName);
        Assert.Contains("got10k_vottrain", badName);   // the known splits are listed
        foreach (var ids in new[] { "[12]", "[-1]", "[0, 0]" })
        {
            var setIds = ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath, $"data.train.trackingnet_set_ids={ids}");
            Assert.Contains("data.train.trackingnet_set_ids", Assert.Throws<ConfigException>(() => TrDiMPTrainSettings.FromConfig(setIds)).Message);
        }
        var valSamples = ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath, "data.val.samples_per_epoch=10");
        Assert.Contains("data.val.samples_per_epoch", Assert.Throws<ConfigException>(() => TrDiMPTrainSettings.FromConfig(valSamples)).Message);

        using (var scratch = TrainerTestKit.Scratch())
        {
            string data = Synthetic(scratch.Path); // no got10k_vot_val_split.txt
            var tiny = ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath, Tiny(2, 1, 1));
            var noSplit = Assert.Throws<FileNotFoundException>(() => new TrDiMPTrainer(new TrainRequest
            {
                Config = tiny, OutputDirectory = Path.Combine(scratch.Path, "run"),
                DataRoots = new Dictionary<string, string> { ["got10k"] = data, ["got10k_votval"] = data },
            }));
            Assert.Contains(Path.Combine(data, "got10k_vot_val_split.txt"), noSplit.Message);
            Assert.Contains("--data got10k_splits=FOLDER", noSplit.Message);
        }

        using (var scratch = TrainerTestKit.Scratch())
        {
            string data = Synthetic(scratch.Path); // no got10k_vot_train_split.txt
            var vottrain = ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath, [.. Tiny(2, 1, 1), "data.train.datasets=[got10k_vottrain]"]);
            TrDiMPTrainer Trainer() => new(new TrainRequest
            {
                Config = vottrain, OutputDirectory = Path.Combine(scratch.Path, "run"),
                DataRoots = new Dictionary<string, string> { ["got10k"] = data },
            });
            var noSplit = Assert.Throws<FileNotFoundException>(Trainer);
            Assert.Contains("training dataset 'got10k_vottrain'", noSplit.Message);
            Assert.Contains(Path.Combine(data, "got10k_vot_train_split.txt"), noSplit.Message);
            File.WriteAllText(Path.Combine(data, "got10k_vot_train_split.txt"), "0\n2\n");
            using (var trainer = Trainer())
                Assert.Equal(Path.Combine(data, "got10k_vot_train_split.txt"), Assert.Single(trainer.Datasets).SplitFile);
            File.WriteAllText(Path.Combine(data, "got10k_vot_train_split.txt"), "0\n7\n");   // 3 sequences: index 7 is past the end
            var pastEnd = Assert.Throws<TrackSharp.Data.Datasets.DatasetFormatException>(Trainer);
            Assert.Contains("got10k_vot_train_split.txt:2", pastEnd.Message);
        }

        using (var scratch = TrainerTestKit.Scratch())
        {
            // A TrackingNet folder holding TRAIN_5 only, read with the default set ids 0..3.
            string chunk = Path.Combine(scratch.Path, "tn", "TRAIN_5");
            Directory.CreateDirectory(Path.Combine(chunk, "anno"));
            Directory.CreateDirectory(Path.Combine(chunk, "frames", "vid_0"));
            File.WriteAllText(Path.Combine(chunk, "anno", "vid_0.txt"), "1,2,3,4\n");
            File.WriteAllBytes(Path.Combine(chunk, "frames", "vid_0", "0.jpg"), []);   // never decoded: the error comes first
            var trackingNet = ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath, [.. Tiny(2, 1, 1), "data.train.datasets=[trackingnet]"]);
            var none = Assert.Throws<TrackSharp.Data.Datasets.DatasetFormatException>(() => new TrDiMPTrainer(new TrainRequest
            {
                Config = trackingNet, OutputDirectory = Path.Combine(scratch.Path, "run"),
                DataRoots = new Dictionary<string, string> { ["trackingnet"] = Path.Combine(scratch.Path, "tn") },
            }));
            Assert.Contains("TRAIN_0, TRAIN_1, TRAIN_2, TRAIN_3", none.Message);
            Assert.Contains("this folder has TRAIN_5", none.Message);
            Assert.Contains("data.train.trackingnet_set_ids=[]", none.Message);
        }

        var settings = TrDiMPTrainSettings.FromConfig(ConfigLoader.Load(ConfigFamily.Ltr, ConfigPath));
        var missing = Assert.Throws<ArgumentException>(() => settings.ResolveDatasets(new Dictionary<string, string> { ["got10k"] = "/x" }));
        Assert.Contains("--data lasot=PATH", missing.Message);
    }
}
