using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using Xunit;

namespace TrackSharp.Tests.Training;

public class TrainingLoopTests : IDisposable
{
    private readonly string _dir = TinyTraining.TempDir();

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private TrainingLoopOptions Options(string folder, bool resume = false, params ITrainingMonitor[] monitors) => new()
    {
        MaxEpoch = 3,
        IterationsPerEpoch = 4,
        Checkpoints = new CheckpointStore(Path.Combine(_dir, folder), "epoch-{epoch}.pkl"),
        Resume = resume,
        Monitors = monitors,
        Seed = 11,
        ConfigHash = "cfg",
    };

    [Theory]
    [InlineData("sgd", 5L)]    // cancelled in the middle of epoch 1
    [InlineData("adamw", 7L)]  // cancelled on the last iteration of epoch 1
    public void CancelledAndResumedRunEqualsAnUninterruptedOne(string optimizerName, long cancelAfter)
    {
        Func<TorchSharp.torch.nn.Module, TorchSharp.torch.optim.Optimizer> opt =
            optimizerName == "sgd" ? TinyTraining.Sgd : TinyTraining.AdamW;

        using var whole = new TinyTask(seed: 1, opt);
        var wholeReports = new RecordingMonitor();
        var full = new TrainingLoop<(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)>(whole, Options("whole", false, wholeReports)).Run();
        Assert.False(full.Cancelled);
        Assert.Equal(12, full.GlobalStep);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), wholeReports.Reports.Select(r => r.GlobalStep));

        using var cts = new CancellationTokenSource();
        using var first = new TinyTask(seed: 1, opt);
        var stopped = new TrainingLoop<(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)>(first,
            Options("split", false, new RecordingMonitor(cts, cancelAfter))).Run(cts.Token);
        Assert.True(stopped.Cancelled);
        Assert.Equal(cancelAfter + 1, stopped.GlobalStep);
        Assert.NotNull(stopped.LastCheckpoint);

        using var second = new TinyTask(seed: 99, opt); // other weights: the resume must restore everything
        var secondReports = new RecordingMonitor();
        var resumed = new TrainingLoop<(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)>(second, Options("split", true, secondReports)).Run();
        Assert.Equal(cancelAfter + 1, resumed.StartStep);
        Assert.Equal(12, resumed.GlobalStep);
        Assert.Equal("tiny", second.Restored!.Values["task"]);
        Assert.Equal(cancelAfter + 1, secondReports.Reports[0].GlobalStep);

        TinyTraining.AssertSameState(whole.Model, second.Model);
        TinyTraining.AssertSameOptimizer(whole.Optimizer, second.Optimizer);
        // The resumed iterations logged the same losses as the uninterrupted run's.
        Assert.Equal(wholeReports.Reports.Skip((int)cancelAfter + 1).Select(r => r.Losses),
            secondReports.Reports.Select(r => r.Losses));
    }

    [Fact]
    public void EpochEndsAreCheckpointedWithTheirStepsAndTheLastIsTheLatest()
    {
        using var task = new TinyTask(seed: 2);
        var options = Options("epochs");
        new TrainingLoop<(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)>(task, options).Run();
        var list = options.Checkpoints!.List();
        Assert.Equal(["epoch-0.pkl", "epoch-1.pkl", "epoch-2.pkl"], list.Select(c => Path.GetFileName(c.WeightsPath)));
        Assert.Equal([4L, 8L, 12L], list.Select(c => c.State.GlobalStep));
        Assert.Equal([(1, 0), (2, 0), (3, 0)], list.Select(c => (c.State.Epoch, c.State.Iteration)));
        Assert.All(list, c => Assert.Equal("cfg", c.State.ConfigHash));
        Assert.Equal([0, 1, 2], task.EpochsBegun);
    }

    [Fact]
    public void ResumingAFinishedRunDoesNothing()
    {
        using (var task = new TinyTask(seed: 2))
            new TrainingLoop<(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)>(task, Options("done")).Run();
        using var again = new TinyTask(seed: 3);
        var monitor = new RecordingMonitor();
        var summary = new TrainingLoop<(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)>(again, Options("done", true, monitor)).Run();
        Assert.Equal(12, summary.StartStep);
        Assert.True(summary.Finished);
        Assert.Empty(monitor.Reports);
    }

    [Fact]
    public void ReportsCarryScheduleLossesExtrasPhasesAndMemory()
    {
        using var task = new TinyTask(seed: 2);
        var monitor = new RecordingMonitor();
        var options = new TrainingLoopOptions { MaxEpoch = 1, IterationsPerEpoch = 2, Monitors = [monitor] };
        var summary = new TrainingLoop<(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)>(task, options).Run();
        Assert.Null(summary.LastCheckpoint); // no store: nothing written
        var r = monitor.Reports[1];
        Assert.Equal((0, 1, 2, 1L), (r.Epoch, r.Iteration, r.IterationsPerEpoch, r.GlobalStep));
        Assert.Equal([KeyValuePair.Create("lr", 0.1 * (1 - 1 / 100.0))], r.Schedule);
        Assert.Equal(["a", "b"], r.Losses.Select(l => l.Key));
        Assert.Equal("mean", r.Extras.Single().Value.Single().Key);
        Assert.Equal([PhaseTimer.Data, PhaseTimer.Forward, PhaseTimer.Backward, PhaseTimer.Optimizer], r.PhaseSeconds.Select(p => p.Key));
        Assert.True(r.MaxMemoryBytes > 0);
        Assert.Equal(r.Losses, summary.LastLosses);
    }

    [Fact]
    public void ResumeWithOtherIterationsPerEpochIsRefusedNamingTheCheckpoint()
    {
        using (var task = new TinyTask(seed: 2))
            new TrainingLoop<(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)>(task, Options("ipe")).Run();
        using var again = new TinyTask(seed: 2);
        var options = new TrainingLoopOptions
        {
            MaxEpoch = 3, IterationsPerEpoch = 5, Resume = true,
            Checkpoints = new CheckpointStore(Path.Combine(_dir, "ipe"), "epoch-{epoch}.pkl"),
        };
        var e = Assert.Throws<ArgumentException>(() => new TrainingLoop<(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)>(again, options).Run());
        Assert.Contains("epoch-2.pkl", e.Message);
        Assert.Contains("4 iterations per epoch", e.Message);
    }

    [Fact]
    public void IterationsLeaveNoLiveTensorsBehind()
    {
        using var task = new TinyTask(seed: 2);
        TrainingLoopOptions Run(int iterations) => new() { MaxEpoch = 1, IterationsPerEpoch = iterations };
        var stats = TorchSharp.DisposeScopeManager.Statistics.TensorStatistics;
        new TrainingLoop<(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)>(task, Run(2)).Run(); // optimizer state now exists
        long before = stats.ThreadTotalLiveCount;
        new TrainingLoop<(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)>(task, Run(25)).Run();
        Assert.Equal(before, stats.ThreadTotalLiveCount);
    }
}
