using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Training.Schedules;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TrackSharp.Tests.Training;

/// <summary>pysot LR schedules against golden/nanotrack/v{1,2,3}/meta.json → lr_schedule and
/// golden/siamban_small/meta.json → lr_schedule, train_step.npz → b/group_lrs.</summary>
public class PysotLrScheduleTests
{
    private const double Tol = 1e-12; // absolute; the values are ~1e-3, so this is a few float64 ulps
    private readonly ITestOutputHelper _output;
    public PysotLrScheduleTests(ITestOutputHelper output) => _output = output;

    private static JsonElement Meta(params string[] path) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine([TestPaths.Shared, "golden", .. path, "meta.json"]))).RootElement;

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private double CheckSeq(string what, IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        if (expected.Count != actual.Count) throw new XunitException($"{what}: {actual.Count} values vs golden {expected.Count}");
        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            double err = Math.Abs(expected[i] - actual[i]);
            if (!(err <= Tol)) throw new XunitException($"{what}[{i}]: {actual[i]:R} vs golden {expected[i]:R} (|d| {err:E2})");
            worst = Math.Max(worst, err);
        }
        _output.WriteLine($"{what}: max abs error {worst:E2}");
        return worst;
    }

    private static PysotLrSpec Spec(JsonElement e)
    {
        var kw = e.GetProperty("KWARGS");
        double? D(string k) => kw.TryGetProperty(k, out var v) ? v.GetDouble() : null;
        return new PysotLrSpec(e.GetProperty("TYPE").GetString()!, D("start_lr"), D("end_lr"),
            kw.TryGetProperty("step", out var s) ? s.GetInt32() : null, D("mult"));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    [InlineData("v3")]
    public void NanoTrackMetaLrSchedulePerEpochAndGroup(string version)
    {
        var s = Meta("nanotrack", version).GetProperty("lr_schedule");
        var warm = s.GetProperty("LR_WARMUP");
        // NanoTrack's configs keep pysot's BACKBONE.LAYERS_LR default 0.1 (meta.json lists only TRAIN.*).
        var config = new PysotLrConfig(Spec(s.GetProperty("LR")), warm.GetProperty("WARMUP").GetBoolean() ? Spec(warm) : null,
            warm.GetProperty("EPOCH").GetInt32(), s.GetProperty("EPOCH").GetInt32(), s.GetProperty("BASE_LR").GetDouble(), 0.1);
        var schedule = config.Build();
        string file = $"nanotrack/{version}/meta.json lr_schedule";
        CheckSeq($"{file} lr_spaces", Doubles(s.GetProperty("lr_spaces")), schedule.LrSpaces);
        var groups = s.GetProperty("per_epoch_group_lrs_backbone_neck_head").EnumerateArray().ToArray();
        Assert.Equal(50, groups.Length);
        for (int e = 0; e < groups.Length; e++)
            CheckSeq($"{file} per_epoch_group_lrs_backbone_neck_head[{e}]", Doubles(groups[e]),
                schedule.GroupLrs(e, config.InitialGroupLrs));
    }

    [Fact]
    public void SiamBanSmallConfigYamlScheduleEqualsMetaJson()
    {
        var config = PysotLrConfig.FromConfig(ConfigLoader.Load(ConfigFamily.SiamBan,
            Path.Combine(TestPaths.Shared, "golden", "siamban_small", "config.yaml")));
        Assert.Equal(20, config.Epochs);
        Assert.Equal(0.1, config.LayersLr);
        var schedule = Assert.IsType<PysotWarmUpSchedule>(config.Build());
        var s = Meta("siamban_small").GetProperty("lr_schedule");
        const string file = "siamban_small/meta.json lr_schedule";
        CheckSeq($"{file} lr_spaces", Doubles(s.GetProperty("lr_spaces")), schedule.LrSpaces);
        CheckSeq($"{file} warmup_lr_spaces", Doubles(s.GetProperty("warmup_lr_spaces")), schedule.Warmup.LrSpaces);
        CheckSeq($"{file} start_lr_normalizer", [s.GetProperty("start_lr_normalizer").GetDouble()], [schedule.StartLr]);
        foreach (var row in s.GetProperty("per_epoch_groups_backbone_neck_head").EnumerateArray())
        {
            int e = row.GetProperty("epoch").GetInt32();
            CheckSeq($"{file} per_epoch_groups[{e}].get_cur_lr", [row.GetProperty("get_cur_lr").GetDouble()], [schedule.CurrentLr(e)]);
            CheckSeq($"{file} per_epoch_groups[{e}].group_lrs", Doubles(row.GetProperty("group_lrs")),
                schedule.GroupLrs(e, config.InitialGroupLrs));
        }
        // The trainer rebuilds optimizer + scheduler at BACKBONE.TRAIN_EPOCH: the same table, the same group lrs.
        var rebuild = s.GetProperty("rebuild_at_train_epoch");
        int re = rebuild.GetProperty("epoch").GetInt32();
        CheckSeq($"{file} rebuild_at_train_epoch.group_lrs", Doubles(rebuild.GetProperty("group_lrs")),
            config.Build().GroupLrs(re, config.InitialGroupLrs));
        // meta.json train_step.param_groups_b initial_lr, and train_step.npz b/group_lrs (epoch 0).
        var groups = Meta("siamban_small").GetProperty("train_step").GetProperty("param_groups_b").EnumerateArray()
            .Select(g => g.GetProperty("initial_lr").GetDouble()).ToArray();
        CheckSeq("siamban_small/meta.json train_step.param_groups_b.initial_lr", groups, config.InitialGroupLrs);
        using var npz = Npz.Load(Path.Combine(TestPaths.Shared, "golden", "siamban_small", "train_step.npz"));
        CheckSeq("siamban_small/train_step.npz b/group_lrs", npz["b/group_lrs"].ToDoubleArray(), schedule.GroupLrs(0, config.InitialGroupLrs));
    }

    // ---- the other pysot scheduler types, values computed by hand from their definitions ----

    [Fact]
    public void StepScheduleWithDefaultsDropsTenfoldEveryStep()
    {
        var s = new PysotStepSchedule(startLr: 0.01, step: 10, mult: 0.1, epochs: 25);
        Assert.Equal(0.01, s.LrSpaces[0]);
        Assert.Equal(0.01, s.LrSpaces[9]);
        Assert.Equal(0.01 * 0.1, s.LrSpaces[10]);
        Assert.Equal(0.01 * Math.Pow(0.1, 2), s.LrSpaces[24]);
        // end_lr without start_lr: start = end / mult^(epochs//step)
        var d = new PysotStepSchedule(startLr: null, endLr: 1e-4, step: 10, mult: 0.1, epochs: 20);
        Assert.Equal(1e-4 / Math.Pow(0.1, 2), d.StartLr);
    }

    [Fact]
    public void MultiStepScheduleIsFloat32WithAFloat64Normaliser()
    {
        var s = new PysotMultiStepSchedule(startLr: 0.01, steps: [2, 4], mult: 0.5, epochs: 6);
        double[] expected = [(float)0.01, (float)0.01, (float)0.005, (float)0.005, (float)0.0025, (float)0.0025];
        Assert.Equal(expected, s.LrSpaces);
        Assert.Equal(0.01, s.StartLr);
        Assert.Equal((double)(float)0.01 * 0.02 / 0.01, s.GroupLr(0, 0.02));
        // with end_lr: mult = (end/start)^(1/len(steps))
        var e = new PysotMultiStepSchedule(startLr: 0.01, endLr: 0.0001, steps: [1], epochs: 2);
        Assert.Equal((double)(float)0.0001, e.LrSpaces[1], 12);
    }

    [Fact]
    public void LinearScheduleIsLinspaceWithExactEnds()
    {
        var s = new PysotLinearSchedule(0.01, 0.005, 6);
        Assert.Equal(0.01, s.LrSpaces[0]);
        Assert.Equal(0.005, s.LrSpaces[5]);
        Assert.Equal(0.01 + 2 * ((0.005 - 0.01) / 5), s.LrSpaces[2]);
    }

    [Fact]
    public void CosScheduleStartsAtStartAndIsHalfWayAtHalfTheEpochs()
    {
        var s = new PysotCosSchedule(0.01, 0.002, 10);
        // float32 arithmetic, as NumPy does it: end + (start-end)*(1+cos 0)*0.5 = 0.002f + 0.008f (one float32 ulp above 0.01f)
        Assert.Equal((double)((float)0.002 + (float)(0.01 - 0.002) * 2f * 0.5f), s.LrSpaces[0]);
        Assert.Equal(0.006, s.LrSpaces[5], 8); // cos(pi/2) = 0 in float32 up to ~1e-8
        Assert.True(s.LrSpaces.Zip(s.LrSpaces.Skip(1)).All(p => p.First > p.Second));
    }

    [Fact]
    public void WarmUpNormalisesByTheMainTablesFirstValue()
    {
        var s = new PysotWarmUpSchedule(new PysotLinearSchedule(0.001, 0.002, 2), new PysotLinearSchedule(0.01, 0.001, 3));
        Assert.Equal([0.001, 0.002, 0.01, 0.0055, 0.001], s.LrSpaces);
        Assert.Equal(0.01, s.StartLr);
        Assert.Equal(0.001 * 0.05 / 0.01, s.GroupLr(0, 0.05));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.GroupLr(5, 0.05));
        Assert.Throws<ArgumentException>(() => new PysotLrSpec("poly").Build(3));
    }
}
