using TrackSharp.Checkpoints;
using TrackSharp.Detection;
using Xunit;

namespace TrackSharp.Tests.Detection;

/// <summary><see cref="WarmupMultiStepLR"/> vs golden/fcos_small/lr_schedule.npz and <see cref="MinMaxResize"/> vs
/// resize_get_size.npz, both exact.</summary>
public class FcosSchedulesTests
{
    [Theory]
    // lr_schedule.npz config/*: constant warm-up, factor 1/3, 500 iters, steps (60000, 80000)
    [InlineData("config/lr_weight", 1.0, WarmupMethod.Constant, 500, 60000, 80000)]
    [InlineData("config/lr_bias", 2.0, WarmupMethod.Constant, 500, 60000, 80000)]
    // lr_schedule.npz linear_steps/*: linear warm-up over 100 iters, steps (300, 450)
    [InlineData("linear_steps/lr_weight", 1.0, WarmupMethod.Linear, 100, 300, 450)]
    [InlineData("linear_steps/lr_bias", 2.0, WarmupMethod.Linear, 100, 300, 450)]
    public void Warmup_multistep_lr_matches_lr_schedule_npz_exactly(string key, double lrFactor, WarmupMethod method,
        int warmupIters, int step1, int step2)
    {
        using var npz = Npz.Load(FcosGolden.File("lr_schedule.npz"));
        var expected = npz[key].ToDoubleArray();
        Assert.Equal(600, expected.Length);
        var sched = new WarmupMultiStepLR(new[] { step1, step2 }, 0.1, 1.0 / 3, warmupIters, method);
        double baseLr = 0.01 * lrFactor; // BASE_LR * BIAS_LR_FACTOR as the reference multiplies it
        for (int i = 1; i <= 600; i++)
        {
            double ours = sched.LearningRateForIteration(baseLr, i);
            Assert.True(ours == expected[i - 1], $"lr_schedule.npz {key} iteration {i}: {ours:R} vs {expected[i - 1]:R}");
        }
    }

    [Fact]
    public void Min_max_resize_matches_resize_get_size_npz_exactly()
    {
        using var npz = Npz.Load(FcosGolden.File("resize_get_size.npz"));
        var a = npz["rows_w_h_min_max_oh_ow"];
        Assert.Equal(new long[] { 30, 6 }, a.Shape);
        var v = a.ToLongArray();
        for (int r = 0; r < 30; r++)
        {
            int w = (int)v[6 * r], h = (int)v[6 * r + 1], min = (int)v[6 * r + 2], max = (int)v[6 * r + 3];
            var (oh, ow) = MinMaxResize.GetSize(w, h, min, max);
            Assert.True(oh == v[6 * r + 4] && ow == v[6 * r + 5],
                $"resize_get_size.npz rows_w_h_min_max_oh_ow row {r}: {w}x{h} min {min} max {max} -> ({oh}, {ow}), expected ({v[6 * r + 4]}, {v[6 * r + 5]})");
        }
    }

    [Fact]
    public void Min_max_resize_hand_cases()
    {
        // README traps: 562.5 rounds half to even; the long side can exceed or undershoot max.
        Assert.Equal((562, 999), MinMaxResize.GetSize(1920, 1080, 800, 1000));
        Assert.Equal((1340, 67), MinMaxResize.GetSize(100, 2000, 800, 1333));
        Assert.Equal((800, 1066), MinMaxResize.GetSize(640, 480, 800, 1333));
    }
}
