using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Data.Synthetic;
using TrackSharp.Tests.Cli;
using TrackSharp.Tests.Training;
using TrackSharp.Trackers.OSTrack.Training;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.OSTrack.Training;

/// <summary>
/// OSTrack training end to end on the golden small config (golden/ostrack_small/config.yaml: ViT 64×4, CE at blocks
/// 1 and 2), shrunk to a few iterations of a few pairs of synthetic GOT-10k sequences: the <c>train</c> verb (falling
/// loss, the reference's console layout, TensorBoard scalars, validation, OSTrack's checkpoint names), and a run
/// stopped in the middle of an epoch and resumed, which must end with the weights and AdamW state of an uninterrupted
/// run, bit for bit (drop path is active: its draws are part of what must repeat).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class OSTrackTrainerTests(ITestOutputHelper output)
{
    private static string[] Small(int batch, int iterations, int epochs) =>
    [
        $"TRAIN.BATCH_SIZE={batch}", $"DATA.TRAIN.SAMPLE_PER_EPOCH={batch * iterations}", $"TRAIN.EPOCH={epochs}",
        "TRAIN.NUM_WORKER=2", "TRAIN.PRINT_INTERVAL=5",
    ];

    private static string Synthetic(string root)
    {
        string data = Path.Combine(root, "synthetic");
        SyntheticDataset.Write(data, new SyntheticOptions { Sequences = 3, Frames = 24, Width = 160, Height = 120, Seed = 7 });
        // The golden config names GOT10K_vottrain / GOT10K_votval: split lists selecting all three sequences, in the
        // folder itself (where the trainer looks without --data GOT10K_SPLITS).
        foreach (string split in new[] { "got10k_vot_train_split.txt", "got10k_vot_val_split.txt" })
            File.WriteAllText(Path.Combine(data, split), "0\n1\n2\n");
        return data;
    }

    [Fact]
    public void TrainVerbOnSyntheticSequencesLowersTheLoss()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string data = Synthetic(root), outDir = Path.Combine(root, "run");
        const int iterations = 12, epochs = 2;
        var result = CliRunner.Run([
            "train", "--config", OSTrackGolden.ConfigPath, "--out", outDir, "--data", $"got10k={data}",
            "--data", $"GOT10K_votval={data}", .. Small(4, iterations, epochs), "TRAIN.VAL_EPOCH_INTERVAL=1",
            "DATA.VAL.SAMPLE_PER_EPOCH=4", "--log-file", Path.Combine(root, "train.log"),
        ]);
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Errors);
        string log = File.ReadAllText(Path.Combine(root, "train.log")); // the reference's lines go through the logger
        Assert.Contains("[train: 1, 5 / 12] FPS: ", log);
        Assert.Contains("[train: 2, 12 / 12] FPS: ", log);
        Assert.Matches(@"Loss/total: \d+\.\d{5}  ,  Loss/giou: \d+\.\d{5}  ,  Loss/l1: \d+\.\d{5}  ,  Loss/location: \d+\.\d{5}  ,  IoU: \d+\.\d{5}", log);
        Assert.Contains("[val: 1]", log);
        Assert.Contains("[val: 2]", log);

        var events = TrainerTestKit.TensorBoardEvents(outDir);
        double[] Series(string tag) => TrainerTestKit.ScalarSeries(events, tag, iterations * epochs);
        var total = Series("training_losses/total");
        var location = Series("extras/stats/Loss/location");
        var lr = Series("schedule_info/lr");
        output.WriteLine("total: " + string.Join(" ", total.Select(t => t.ToString("F3", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.All(lr, v => Assert.Equal(4e-4, v, 1e-9)); // LR_DROP_EPOCH 8: no drop in two epochs (float32 in the event file)
        double first = total.Take(4).Average(), last = total.TakeLast(4).Average();
        output.WriteLine($"mean total loss: first 4 iterations {first:F3}, last 4 {last:F3}; focal {location.Take(4).Average():F3} -> {location.TakeLast(4).Average():F3}");
        Assert.True(last < 0.8 * first, $"loss did not fall: first 4 iterations {first:F3}, last 4 {last:F3}");

        var valEvents = Directory.GetFiles(Path.Combine(outDir, "logs", "tensorboard", "val"), "events.out.tfevents.*")
            .SelectMany(TensorBoardEventReader.ReadFile).ToList();
        Assert.Equal(2, valEvents.Count(e => e.Scalars.Any(s => s.Tag == "Loss/total")));

        foreach (int e in new[] { 1, 2 }) // max_epochs - 5 < e: both saved
        {
            string weights = Path.Combine(outDir, "checkpoints", $"OSTrack_ep{e:0000}.pth.tar");
            Assert.True(File.Exists(weights), weights);
            using var state = StateDict.Load(weights);
            Assert.Contains("box_head.conv5_ctr.weight", state.Keys);
            Assert.Contains("backbone.pos_embed_x", state.Keys);
        }
    }

    [Fact]
    public void RunStoppedMidEpochAndResumedEqualsAnUninterruptedRun()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path, data = Synthetic(root);
        // CE starts in epoch 2 of the golden config: the second epoch runs with a keep rate below 1.
        var config = ConfigLoader.Load(ConfigFamily.OSTrack, OSTrackGolden.ConfigPath, [.. Small(batch: 2, iterations: 3, epochs: 2), "TRAIN.CE_START_EPOCH=1", "TRAIN.CE_WARM_EPOCH=1"]);
        var dataRoots = new Dictionary<string, string> { ["GOT10K_vottrain"] = data };
        string straight = Path.Combine(root, "straight"), stopped = Path.Combine(root, "stopped");
        // Cancelled after global step 3: epoch 2, iteration 1 done, in the middle of the second epoch.
        TrainerTestKit.StraightStoppedResumed(request => new OSTrackTrainer(request), config, dataRoots, straight, stopped,
            cancelAfterStep: 3, stoppedAtStep: 4);

        string last = "OSTrack_ep0002.pth.tar";
        using (var a = StateDict.Load(Path.Combine(straight, "checkpoints", last)))
        using (var b = StateDict.Load(Path.Combine(stopped, "checkpoints", last)))
        using (var start = new OSTrackTrainer(new TrainRequest { Config = config, OutputDirectory = Path.Combine(root, "fresh"), DataRoots = dataRoots }))
        {
            TrainerTestKit.AssertSameWeights(a, b, output);
            // and training did change the weights
            var initial = start.Model.state_dict();
            Assert.False(a["backbone.blocks.0.attn.qkv.weight"].bytes.SequenceEqual(initial["backbone.blocks.0.attn.qkv.weight"].bytes));
        }
        TrainerTestKit.AssertSameOptimizerState(Path.Combine(straight, "checkpoints", last + ".optim.pth"),
            Path.Combine(stopped, "checkpoints", last + ".optim.pth"), "AdamW moments", output);
    }

    [Fact]
    public void ConfiguredDatasetWithoutAFolderOrReaderIsNamed()
    {
        var config = ConfigLoader.Load(ConfigFamily.OSTrack, OSTrackGolden.ConfigPath);
        var e = Assert.Throws<ArgumentException>(() => OSTrackTrainingDatasets.ResolveTrain(config, new Dictionary<string, string>()));
        Assert.Contains("--data GOT10K_vottrain=PATH", e.Message);

        var davis = ConfigLoader.Load(ConfigFamily.OSTrack, OSTrackGolden.ConfigPath, "DATA.TRAIN.DATASETS_NAME=[DAVIS]");
        var c = Assert.Throws<ConfigException>(() => OSTrackTrainingDatasets.ResolveTrain(davis, new Dictionary<string, string>()));
        Assert.Contains("DATA.TRAIN.DATASETS_NAME", c.Message);
        Assert.Contains("DAVIS", c.Message);
    }

    [Fact]
    public void CheckpointScheduleIsOSTracks()
    {
        // epoch % 40 == 0, 79/159/239, and the last five epochs of 300.
        int[] expected = [40, 79, 80, 120, 159, 160, 200, 239, 240, 280, 296, 297, 298, 299, 300];
        Assert.Equal(expected, Enumerable.Range(1, 300).Where(e => OSTrackTrainSettings.SavesAfterEpoch(e, 300)));
    }
}
