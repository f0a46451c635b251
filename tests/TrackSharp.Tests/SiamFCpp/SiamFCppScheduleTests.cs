using TrackSharp.Checkpoints;
using TrackSharp.Training.Schedules;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.SiamFCpp;

/// <summary>
/// SiamFC++'s LR policy (linear warm-up 1 epoch, cosine 19 epochs, 12500 iterations per epoch) against
/// golden/siamfcpp_small/lr_schedule.npz keys <c>lr</c>, <c>lr_group0_backbone</c>, <c>lr_group1_other</c> at
/// the recorded (<c>epoch</c>, <c>iteration</c>) pairs, bit-exact; and meta.json train_step.schedule_lr.
/// </summary>
public class SiamFCppScheduleTests(ITestOutputHelper output)
{
    private static string LrPath => Path.Combine(SiamFCppForwardFixture.Folder, "lr_schedule.npz");

    private static readonly LrMultiplier[] Groups =
    {
        new("backbone", "basemodel", 0.1),
        new("other", "^((?!basemodel).)*$", 1),
    };

    [Fact]
    public void PolicyValuesMatchTheReference()
    {
        using var golden = Npz.Load(LrPath);
        int[] epochs = golden["epoch"].ToIntArray(), iterations = golden["iteration"].ToIntArray();
        var schedule = MultiStageLrSchedule.SiamFCppAlexNet();
        Assert.Equal(12500, schedule.IterationsPerEpoch);
        Assert.Equal(20, schedule.Epochs);
        foreach (var (key, group) in new[] { ("lr", -1), ("lr_group0_backbone", 0), ("lr_group1_other", 1) })
        {
            double[] expected = golden[key].ToDoubleArray();
            Assert.Equal(epochs.Length, expected.Length);
            double worst = 0;
            int exact = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                double ours = group < 0
                    ? schedule.LearningRate(epochs[i], iterations[i])
                    : schedule.GroupLearningRates(epochs[i], iterations[i], Groups)[group];
                double err = Math.Abs(ours - expected[i]);
                worst = Math.Max(worst, err);
                if (ours == expected[i]) exact++;
                Assert.True(ours == expected[i], // bit-exact (the reference's float64 arithmetic order)
                    $"lr_schedule.npz/{key}[{i}] (epoch {epochs[i]}, it {iterations[i]}): {ours:R} vs {expected[i]:R}");
            }
            output.WriteLine($"lr_schedule.npz/{key}: {expected.Length} values, {exact} bit-exact, max abs error {worst:E3}");
        }
    }

    [Fact]
    public void PhaseBoundariesFollowTheReference()
    {
        var s = MultiStageLrSchedule.SiamFCppAlexNet();
        Assert.Equal(1e-6, s.LearningRate(0, 0));
        Assert.Equal(0.07156572580560104, s.LearningRate(5, 0)); // meta.json train_step.schedule_lr
        Assert.Equal(0.08, s.LearningRate(1, 0)); // first iteration of the cosine phase
        Assert.True(s.LearningRate(0, 12499) < 0.08); // last warm-up value is not the next epoch's first
        Assert.Equal(1e-6, s.LearningRate(20, 0)); // past the last phase: its end value
        Assert.Throws<ArgumentOutOfRangeException>(() => s.LearningRate(0, 12500));
    }

    [Fact]
    public void GroupRegexesSplitBackboneFromTheRest()
    {
        Assert.True(Groups[0].Matches("basemodel.conv1.bn.weight"));
        Assert.False(Groups[1].Matches("basemodel.conv1.bn.weight"));
        Assert.False(Groups[0].Matches("head.si"));
        Assert.True(Groups[1].Matches("head.si"));
    }
}
