using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using Xunit;

namespace TrackSharp.Tests.Training;

public class MetersTests
{
    [Fact]
    public void WindowKeepsTheLastValuesAndGlobalAverageAll()
    {
        var v = new SmoothedValue(windowSize: 3);
        foreach (var x in new[] { 1.0, 5.0, 2.0, 8.0 }) v.Update(x);
        Assert.Equal(5.0, v.Median);            // window [5, 2, 8]
        Assert.Equal(5.0, v.Average);           // (5 + 2 + 8) / 3
        Assert.Equal(4.0, v.GlobalAverage);     // 16 / 4
        Assert.Equal(4, v.Count);
        Assert.Equal(8.0, v.Latest);
    }

    [Fact]
    public void EvenWindowMedianIsTheLowerMiddleLikeTorchMedian()
    {
        var v = new SmoothedValue(windowSize: 4);
        foreach (var x in new[] { 4.0, 1.0, 3.0, 2.0 }) v.Update(x);
        Assert.Equal(2.0, v.Median);
        Assert.Equal(2.5, v.Average);
    }

    [Fact]
    public void DefaultWindowIsTwenty()
    {
        var v = new SmoothedValue();
        for (int i = 1; i <= 25; i++) v.Update(i);
        Assert.Equal(15.5, v.Average);  // 6..25
        Assert.Equal(15.0, v.Median);   // lower middle of 6..25
        Assert.Equal(13.0, v.GlobalAverage);
    }

    [Fact]
    public void EmptyMeterIsNaN()
    {
        var v = new SmoothedValue();
        Assert.True(double.IsNaN(v.Median) && double.IsNaN(v.Average) && double.IsNaN(v.GlobalAverage));
    }

    [Fact]
    public void MeterSetFormatsMedianAndGlobalAverageInFirstUpdateOrder()
    {
        var m = new MeterSet();
        m.Update("loss", 3.0);
        m.Update("time", 0.25);
        m.Update("loss", 1.0);
        m.Update("loss", 2.0);
        Assert.Equal("loss: 2.0000 (2.0000)  time: 0.2500 (0.2500)", m.ToString());
        Assert.Equal(["loss", "time"], m.Names);
        var e = Assert.Throws<KeyNotFoundException>(() => m["los"]);
        Assert.Contains("'los'", e.Message);
    }

    [Fact]
    public void PhaseTimerKeepsOrderAndAddsRepeatedPhases()
    {
        var t = new PhaseTimer();
        t.Add("data", 0.5);
        t.Add("fwd", 1.0);
        t.Add("data", 0.25);
        using (t.Measure("bwd")) { }
        Assert.Equal(["data", "fwd", "bwd"], t.Seconds.Select(p => p.Key));
        Assert.Equal(0.75, t.Seconds[0].Value);
        Assert.True(t.Seconds[2].Value >= 0);
        t.Reset();
        Assert.Empty(t.Seconds);
    }

    [Theory]
    [InlineData(0, 0, 10, 0L)]
    [InlineData(5, 0, 1, 5L)]      // the golden SiamFC++ step: epoch 5, iteration 0, one iteration per epoch
    [InlineData(3, 7, 12500, 37507L)]
    public void GlobalStepIsIterationPlusEpochTimesIterationsPerEpoch(int epoch, int iteration, int perEpoch, long step)
    {
        var p = new TrainingPosition(epoch, iteration, perEpoch);
        Assert.Equal(step, p.GlobalStep);
        Assert.Equal(p, TrainingPosition.FromStep(step, perEpoch));
    }

    [Fact]
    public void NextWrapsToTheNextEpoch()
    {
        Assert.Equal(new TrainingPosition(0, 2, 3), new TrainingPosition(0, 1, 3).Next());
        Assert.Equal(new TrainingPosition(1, 0, 3), new TrainingPosition(0, 2, 3).Next());
    }
}
