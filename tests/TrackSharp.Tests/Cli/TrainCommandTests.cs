using TorchSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Cli.Commands;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Config;
using TrackSharp.Tests.Training;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Cli;

/// <summary>A test-only family trainer: the tiny model of the engine tests behind the <c>train</c> verb.
/// <c>TRAIN.STOP_AFTER_STEP</c> cancels the run's token after that step, as a Ctrl-C would.</summary>
internal sealed class TinyTrainerFactory : ITrainerFactory
{
    public const string FamilyName = "tiny_train_test";

    public static readonly ConfigFamily ConfigFamily = TrackSharp.Config.ConfigFamily.Register(
        TrackSharp.Config.ConfigFamily.FromYaml(FamilyName, """
            TRAIN:
              EPOCHS: 2
              ITERATIONS: 3
              SEED: 1
              STOP_AFTER_STEP: -1
            """));

    public string Family => FamilyName;
    public string Name => "tiny";
    public bool Accepts(ExperimentConfig config) => true;
    public ITrainer Create(TrainRequest request) => new Trainer(request);

    private sealed class Trainer(TrainRequest request) : ITrainer
    {
        private readonly TinyTask _task = new(seed: request.Config.Get<int>("TRAIN.SEED"));
        private int Epochs => request.Epochs ?? request.Config.Get<int>("TRAIN.EPOCHS");
        private int Iterations => request.Config.Get<int>("TRAIN.ITERATIONS");

        public long TotalSteps => (long)Epochs * Iterations;

        public TrainSummary Run(CancellationToken cancellation)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            using var tensorBoard = new TensorBoardMonitor(request.TensorBoardDirectory);
            var stopper = new RecordingMonitor(stop, request.Config.Get<long>("TRAIN.STOP_AFTER_STEP"));
            var loop = new TrainingLoop<(Tensor, Tensor)>(_task, new TrainingLoopOptions
            {
                MaxEpoch = Epochs,
                IterationsPerEpoch = Iterations,
                Checkpoints = new CheckpointStore(request.CheckpointDirectory, "epoch-{epoch}.pkl"),
                Resume = request.Resume,
                Monitors = [.. request.Monitors, tensorBoard, stopper],
                ConfigHash = ConfigHash.Of(request.Config),
                Logger = request.Logger,
            });
            return loop.Run(stop.Token);
        }

        public void Dispose() => _task.Dispose();
    }
}

[Collection(CliCollection.Name)]
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = TinyTraining.TempDir();
    private readonly TinyTrainerFactory _factory = new();
    private readonly string _config;

    public TrainCommandTests()
    {
        _ = TinyTrainerFactory.ConfigFamily;
        TrainerRegistry.Default.Register(_factory);
        Directory.CreateDirectory(_dir);
        _config = Path.Combine(_dir, "tiny.yaml");
        File.WriteAllText(_config, "TRAIN:\n  EPOCHS: 2\n  ITERATIONS: 3\n");
    }

    public void Dispose()
    {
        TrainerRegistry.Default.Unregister(_factory);
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private CliRunner.Result Train(string outName, params string[] extra) =>
        CliRunner.Run(["train", "--config", _config, "--family", TinyTrainerFactory.FamilyName, "--out", Path.Combine(_dir, outName), .. extra]);

    [Fact]
    public void TrainsWritesCheckpointsTextLinesAndTensorBoard()
    {
        var r = Train("run", "--log-every", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Errors);
        var lines = r.Output.Split('\n').Where(l => l.StartsWith("epoch ", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, lines.Count);
        Assert.All(lines, l => Assert.Matches(@"^epoch [01], lr: \d\.\de-0\d, a: \d+\.\d{3}, b: \d+\.\d{3}, mean: -?\d+\.\d{3}, data: .*,  max mem: \d+\.\dM$", l));
        Assert.Contains("trained steps 0..6 of 6", r.Output);
        Assert.Contains("tensorboard --logdir", r.Output);

        string run = Path.Combine(_dir, "run");
        Assert.True(File.Exists(Path.Combine(run, "config.yaml")));
        Assert.Equal(["epoch-0.pkl", "epoch-1.pkl"],
            new CheckpointStore(Path.Combine(run, "checkpoints"), "epoch-{epoch}.pkl").List().Select(c => Path.GetFileName(c.WeightsPath)));
        var events = TensorBoardEventReader.ReadFile(Directory.GetFiles(Path.Combine(run, "logs", "tensorboard"), "events.out.tfevents.*").Single());
        var lr = events.Where(e => e.Scalars.Any(s => s.Tag == "schedule_info/lr")).Select(e => e.Step).ToList();
        Assert.Equal([0L, 1, 2, 3, 4, 5], lr);
        Assert.Contains(events, e => e.Scalars.Any(s => s.Tag == "training_losses/a"));
        Assert.Contains(events, e => e.Scalars.Any(s => s.Tag == "extras/b/mean"));
    }

    [Fact]
    public void InterruptedRunResumesToTheSameWeightsAsAnUninterruptedOne()
    {
        Assert.Equal(0, Train("whole").ExitCode);

        var stopped = Train("split", "TRAIN.STOP_AFTER_STEP=1");
        Assert.Equal(TrainCommand.Interrupted, stopped.ExitCode);
        Assert.Contains("interrupted after step 2 of 6; continue with --resume", stopped.Output);

        var resumed = Train("split", "--resume");
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("trained steps 2..6 of 6", resumed.Output);

        using var whole = StateDict.Load(Path.Combine(_dir, "whole", "checkpoints", "epoch-1.pkl"));
        using var split = StateDict.Load(Path.Combine(_dir, "split", "checkpoints", "epoch-1.pkl"));
        Assert.Equal(whole.Keys, split.Keys);
        foreach (var key in whole.Keys)
            Assert.True(whole[key].bytes.SequenceEqual(split[key].bytes), key);

        var again = Train("split", "--resume");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("nothing to do", again.Output);
    }

    [Fact]
    public void EpochsOptionOverridesTheConfig()
    {
        var r = Train("short", "--epochs", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("trained steps 0..3 of 3", r.Output);
    }

    [Fact]
    public void UnknownFamilyFailsWithOneLine()
    {
        var r = CliRunner.Run("train", "--config", _config, "--family", "no_such_family");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains("unknown config family 'no_such_family'", r.Errors);
    }

    [Fact]
    public void FamilyWithoutTrainerFailsWithOneLine()
    {
        ConfigFamily.Register(ConfigFamily.FromYaml("untrained_test", "TRAIN:\n  EPOCHS: 1\n  ITERATIONS: 1\n"));
        var r = CliRunner.Run("train", "--config", _config, "--family", "untrained_test", "--out", Path.Combine(_dir, "x"));
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains("no trainer is registered for config family 'untrained_test'", r.Errors);
    }

    [Fact]
    public void MissingConfigFileFailsNamingIt()
    {
        var missing = Path.Combine(_dir, "nope.yaml");
        var r = CliRunner.Run("train", "--config", missing);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains(missing, r.Errors);
    }

    [Fact]
    public void MissingConfigOptionIsAUsageError()
    {
        var r = CliRunner.Run("train");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("--config FILE is required", r.Errors);
    }

    [Fact]
    public void BadOverrideNamesTheKey()
    {
        var r = Train("bad", "TRAIN.EPOCS=3");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("TRAIN.EPOCS", r.Errors);
    }

    [Fact]
    public void DataRootThatDoesNotExistIsNamed()
    {
        var r = Train("data", "--data", "GOT10K=" + Path.Combine(_dir, "no-such-folder"));
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("--data GOT10K", r.Errors);
    }
}
