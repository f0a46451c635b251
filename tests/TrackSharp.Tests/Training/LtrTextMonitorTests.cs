using TrackSharp.Training.Monitoring;
using Xunit;

namespace TrackSharp.Tests.Training;

/// <summary>The console line of <see cref="LtrTextMonitor"/> in LTRTrainer's layout (OSTrack's, with times, and pytracking's,
/// without), with values worked out by hand.</summary>
public class LtrTextMonitorTests
{
    private static IterationReport Report(int epoch, int iteration, double total, double iou, double data, double fwd) =>
        new(epoch, 10, iteration, 4, epoch * 4L + iteration, [new("lr", 4e-4)], [new("total", total)],
            [new("stats", [new("Loss/total", total), new("IoU", iou)])],
            [new(PhaseTimer.Data, data), new(PhaseTimer.Forward, fwd), new(PhaseTimer.Backward, 0.0), new(PhaseTimer.Optimizer, 0.0)], 0);

    [Fact]
    public void PrintsEpochMeansEveryNIterationsAndAtTheEpochEnd()
    {
        var lines = new List<string>();
        using var monitor = new LtrTextMonitor(lines.Add, every: 2, batchSize: 8, printTimes: true);
        monitor.Update(Report(0, 0, 3.0, 0.1, 0.5, 1.5)); // not printed (1 % 2 != 0)
        monitor.Update(Report(0, 1, 1.0, 0.3, 0.5, 0.5)); // printed: batch 2 of 4
        // 2 batches of 8 in 3.0 s: 5.3 samples/s; this batch 8 / 1.0 s; data 1.0/2; compute 2.0/2; total 3.0/2;
        // means: Loss/total (3+1)/2 = 2, IoU 0.2.
        Assert.Equal("[train: 1, 2 / 4] FPS: 5.3 (8.0)  ,  DataTime: 0.500 (0.000)  ,  ForwardTime: 1.000  ,  TotalTime: 1.500  ,  " +
                     "Loss/total: 2.00000  ,  IoU: 0.20000", Assert.Single(lines));
        monitor.Update(Report(0, 2, 1.0, 0.3, 0.0, 1.0));
        monitor.Update(Report(0, 3, 1.0, 0.3, 0.0, 1.0));
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("[train: 1, 4 / 4]", lines[1]);
        Assert.EndsWith("Loss/total: 1.50000  ,  IoU: 0.25000", lines[1]);
        monitor.Update(Report(1, 0, 7.0, 0.9, 0.0, 1.0)); // a new epoch resets the means
        monitor.Update(Report(1, 1, 9.0, 0.7, 0.0, 1.0));
        Assert.EndsWith("Loss/total: 8.00000  ,  IoU: 0.80000", lines[2]);
        Assert.StartsWith("[train: 2, 2 / 4]", lines[2]);
    }

    [Fact]
    public void WithoutTimesPrintsPytrackingsLine()
    {
        var lines = new List<string>();
        using var monitor = new LtrTextMonitor(lines.Add, every: 1, batchSize: 4, printTimes: false);
        monitor.Update(Report(2, 0, 5.0, 0.5, 0.25, 0.75));
        // 4 samples in 1.0 s; means of one batch.
        Assert.Equal("[train: 3, 1 / 4] FPS: 4.0 (4.0)  ,  Loss/total: 5.00000  ,  IoU: 0.50000", Assert.Single(lines));
    }
}
