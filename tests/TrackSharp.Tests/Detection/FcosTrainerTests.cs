using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Detection;
using TrackSharp.Detection.Fcos.Training;
using TrackSharp.Tests.Cli;
using TrackSharp.Tests.Training;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.Detection;

/// <summary>
/// FCOS training end to end with the golden small model (golden/fcos_small: config.yaml, weights.pth) on a tiny
/// COCO-format dataset written by the test from the golden image and the README's hand-placed boxes, shrunk to a few
/// iterations at 256 pixels: falling loss and the schedule's learning rate, the <c>train</c> and <c>detect train</c>
/// verbs with maskrcnn-benchmark's checkpoint names, a run stopped and resumed that ends bit for bit where an
/// uninterrupted one does, and the reference's log line.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class FcosTrainerTests(ITestOutputHelper output)
{
    private static string GoldenConfig => FcosGolden.File("config.yaml");

    /// <summary>The README's ground truth on the 640x480 image, xyxy inclusive, with COCO category ids chosen so the
    /// contiguous labels are 1..5 (the exact duplicate box with another label included).</summary>
    private static readonly (int X1, int Y1, int X2, int Y2, int Category)[] Boxes =
    [
        (12, 52, 316, 472, 16), (344, 26, 638, 374, 16), (40, 72, 176, 116, 65), (332, 76, 372, 188, 65),
        (0, 0, 639, 479, 58), (400, 400, 424, 420, 1), (470, 380, 530, 440, 1), (470, 380, 530, 440, 2),
    ];

    /// <summary>Writes <c>instances.json</c> with two image entries of the golden image (so batches of two exist in
    /// every aspect group) and returns its path.</summary>
    private static string WriteTinyCoco(string folder)
    {
        Directory.CreateDirectory(folder);
        File.Copy(FcosGolden.File("COCO_val2014_000000039769.jpg"), Path.Combine(folder, "cats.jpg"));
        var images = new[] { 1, 2 }.Select(id => new { id, file_name = "cats.jpg", width = 640, height = 480 });
        int annId = 0;
        var annotations = new[] { 1, 2 }.SelectMany(image => Boxes.Select(b => new
        {
            id = ++annId, image_id = image, category_id = b.Category, iscrowd = 0,
            bbox = new[] { b.X1, b.Y1, b.X2 - b.X1 + 1, b.Y2 - b.Y1 + 1 }, // inclusive xyxy -> COCO xywh
            area = (b.X2 - b.X1 + 1) * (b.Y2 - b.Y1 + 1),
        }));
        var categories = new[] { 1, 2, 16, 58, 65 }.Select(id => new { id, name = $"c{id}" });
        string json = Path.Combine(folder, "instances.json");
        File.WriteAllText(json, JsonSerializer.Serialize(new { images, annotations, categories }));
        return json;
    }

    /// <summary>The golden config shrunk to <paramref name="iterations"/> iterations of 2 images at 256 pixels,
    /// starting from the golden weights.</summary>
    private static string[] Small(int iterations, int checkpointPeriod) =>
    [
        $"SOLVER.MAX_ITER={iterations}", $"SOLVER.CHECKPOINT_PERIOD={checkpointPeriod}", "SOLVER.IMS_PER_BATCH=2",
        "INPUT.MIN_SIZE_TRAIN=[256]", "INPUT.MAX_SIZE_TRAIN=416", $"MODEL.WEIGHT={FcosGolden.File("weights.pth")}",
    ];

    private static TrainRequest Request(string json, string outDir, string[] overrides, bool resume = false,
        IReadOnlyList<ITrainingMonitor>? monitors = null) => new()
    {
        Config = ConfigLoader.Load(ConfigFamily.MaskRcnnBenchmark, GoldenConfig, overrides),
        OutputDirectory = outDir,
        Resume = resume,
        DataRoots = new Dictionary<string, string> { ["coco"] = json },
        Monitors = monitors ?? [],
    };

    [Fact]
    public void TrainingOnTheTinyDatasetLowersTheLossWithTheWarmupLearningRate()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string json = WriteTinyCoco(Path.Combine(root, "coco"));
        const int iterations = 10;
        var reports = new Collect();
        var lines = new List<string>();
        using (var trainer = new FcosTrainer(Request(json, Path.Combine(root, "run"), Small(iterations, 100), monitors: [reports]), logLine: lines.Add))
            Assert.True(trainer.Run(CancellationToken.None).Finished);

        var total = reports.Items.Select(r => r.TotalLoss).ToArray();
        output.WriteLine("total loss: " + string.Join(" ", total.Select(t => t.ToString("F4"))));
        Assert.Equal(iterations, total.Length);
        Assert.All(total, t => Assert.True(double.IsFinite(t)));
        double first = total.Take(3).Average(), last = total.TakeLast(3).Average();
        Assert.True(last < 0.9 * first, $"loss did not fall: first three {first:F4}, last three {last:F4}");
        // Constant warm-up (WARMUP_FACTOR 1/3, 500 iterations): group 0 is a weight, BASE_LR 0.01.
        Assert.All(reports.Items, r => Assert.Equal(0.01 * 0.3333333333333333, r.Schedule.Single(s => s.Key == "lr").Value));
        Assert.Equal(["loss_cls", "loss_reg", "loss_centerness"], reports.Items[0].Losses.Select(l => l.Key));
        // Written at iteration 10 = max_iter only (not a multiple of 20).
        string line = Assert.Single(lines);
        output.WriteLine(line);
        Assert.Matches(@"^eta: 0:00:00  iter: 10  loss: \d+\.\d{4} \(\d+\.\d{4}\)  loss_cls: \d+\.\d{4} \(\d+\.\d{4}\)  " +
                       @"loss_reg: \d+\.\d{4} \(\d+\.\d{4}\)  loss_centerness: \d+\.\d{4} \(\d+\.\d{4}\)  " +
                       @"time: \d+\.\d{4} \(\d+\.\d{4}\)  data: \d+\.\d{4} \(\d+\.\d{4}\)  lr: 0\.003333  max mem: \d+$", line);
    }

    [Fact]
    public void RunStoppedAndResumedEqualsAnUninterruptedRun()
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string json = WriteTinyCoco(Path.Combine(root, "coco"));
        var small = Small(iterations: 5, checkpointPeriod: 100);
        string straight = Path.Combine(root, "straight"), stopped = Path.Combine(root, "stopped");
        TrainerTestKit.StraightStoppedResumed(
            (outDir, resume, monitors) => new FcosTrainer(Request(json, outDir, small, resume, monitors), logLine: _ => { }),
            straight, stopped, cancelAfterStep: 1, stoppedAtStep: 2, afterStop: () =>
            {
                Assert.True(File.Exists(Path.Combine(stopped, "checkpoints", "model_0000002.pth")));
                Assert.False(File.Exists(Path.Combine(stopped, "checkpoints", FcosTrainer.FinalCheckpoint)));
            });

        foreach (string name in new[] { "model_0000005.pth", FcosTrainer.FinalCheckpoint })
            TrainerTestKit.AssertSameWeights(Path.Combine(straight, "checkpoints", name), Path.Combine(stopped, "checkpoints", name), output, label: name);
        TrainerTestKit.AssertSameOptimizerState(Path.Combine(straight, "checkpoints", "model_0000005.pth.optim.pth"),
            Path.Combine(stopped, "checkpoints", "model_0000005.pth.optim.pth"), "momentum buffers", output);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("detect", "train")]
    public void TrainVerbsWritePeriodicAndFinalCheckpoints(params string[] verb)
    {
        using var scratch = TrainerTestKit.Scratch();
        string root = scratch.Path;
        string json = WriteTinyCoco(Path.Combine(root, "coco"));
        string outDir = Path.Combine(root, "run");
        var result = CliRunner.Run([.. verb, "--config", GoldenConfig, "--out", outDir, "--data", $"coco={json}", .. Small(iterations: 3, checkpointPeriod: 2)]);
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Errors);
        var names = Directory.GetFiles(Path.Combine(outDir, "checkpoints"), "*.pth").Select(Path.GetFileName).Where(n => !n!.EndsWith(".optim.pth")).Order();
        Assert.Equal(["model_0000002.pth", "model_0000003.pth", "model_final.pth"], names);
    }

    [Fact]
    public void TrainWithoutCocoDataNamesTheOption()
    {
        var e = Assert.Throws<ArgumentException>(() => new FcosTrainer(new TrainRequest
        {
            Config = ConfigLoader.Load(ConfigFamily.MaskRcnnBenchmark, GoldenConfig), OutputDirectory = TinyTraining.TempDir(),
        }));
        Assert.Contains("--data coco=", e.Message);
    }

    [Fact]
    public void BadWarmupMethodNamesTheKey()
    {
        var cfg = ConfigLoader.Load(ConfigFamily.MaskRcnnBenchmark, GoldenConfig, "SOLVER.WARMUP_METHOD=cosine");
        var e = Assert.Throws<ConfigException>(() => FcosTrainSettings.FromConfig(cfg));
        Assert.Contains("SOLVER.WARMUP_METHOD", e.Message);
    }

    [Fact]
    public void SettingsOfTheGoldenConfig()
    {
        var s = FcosTrainSettings.FromConfig(ConfigLoader.Load(ConfigFamily.MaskRcnnBenchmark, GoldenConfig));
        Assert.Equal(90000, s.MaxIter);
        Assert.Equal(2500, s.CheckpointPeriod);
        Assert.Equal([60000, 80000], s.Schedule.Steps);
        Assert.Equal(500, s.Schedule.WarmupIters);
        Assert.Equal(WarmupMethod.Constant, s.Schedule.Method);
    }

    [Fact]
    public void LogLineHasTheReferenceLayout()
    {
        // Hand calculation: loss window [3, 1, 2] -> median 2 (middle), global average 2; time [0.5, 1.5, 1.0] ->
        // median 1.0, average 1.0, eta = int(1.0 * (90000 - 3)) = 89997 s = 1 day, 0:59:57.
        var meters = new MeterSet();
        foreach (var (loss, time) in new[] { (3.0, 0.5), (1.0, 1.5), (2.0, 1.0) })
        {
            meters.Update("loss", loss);
            meters.Update("time", time);
        }
        string line = MaskRcnnTrainingLog.Format(3, 90000, meters, 0.0033333333333333335, 512L * 1024 * 1024);
        Assert.Equal("eta: 1 day, 0:59:57  iter: 3  loss: 2.0000 (2.0000)  time: 1.0000 (1.0000)  lr: 0.003333  max mem: 512", line);
    }

    [Theory]
    [InlineData(0, "0:00:00")]
    [InlineData(59, "0:00:59")]
    [InlineData(3599, "0:59:59")]
    [InlineData(36000, "10:00:00")]
    [InlineData(86400, "1 day, 0:00:00")]
    [InlineData(2 * 86400 + 3661, "2 days, 1:01:01")]
    public void EtaIsPythonsTimedelta(long seconds, string expected) => Assert.Equal(expected, MaskRcnnTrainingLog.PythonTimedelta(seconds));

    [Fact]
    public void LogIsWrittenEveryTwentyIterationsAndAtTheLast()
    {
        var written = new List<long>();
        using var log = new MaskRcnnTrainingLog(line => written.Add(long.Parse(line.Split("iter: ")[1].Split(' ')[0])), maxIter: 45);
        for (int step = 0; step < 45; step++)
            log.Update(new IterationReport(0, 1, step, 45, step, [new("lr", 0.01)], [new("loss_cls", 1.0)], [], [new(PhaseTimer.Data, 0.1)], 0));
        Assert.Equal([20L, 40L, 45L], written);
    }

    /// <summary>Keeps every report.</summary>
    private sealed class Collect : ITrainingMonitor
    {
        public List<IterationReport> Items { get; } = [];
        public void Update(IterationReport report) => Items.Add(report);
        public void Dispose() { }
    }
}
