using OpenCvSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Geometry;
using TrackSharp.Trackers.SiamFCpp;
using TrackSharp.Tracking;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TrackSharp.Tests.SiamFCpp;

/// <summary>
/// Runs <see cref="SiamFCppTracker"/> on the golden frames once, teacher-forced like
/// golden/siamfcpp_small/tracking.npz (prior of frame t = gt[t-1] through <c>Track(frame, prior)</c>) and freely
/// like tracking_free_run.npz, and keeps every per-frame value for the tests to compare key by key.
/// </summary>
public sealed class SiamFCppTrackingFixture : IDisposable
{
    public static string Folder => SiamFCppForwardFixture.Folder;
    public static string TrackingPath => Path.Combine(Folder, "tracking.npz");
    public static string FreeRunPath => Path.Combine(Folder, "tracking_free_run.npz");
    public static string ConfigPath => Path.Combine(Folder, "config_test_track.yaml");
    public static string FramePath(int index1) => Path.Combine(Folder, "frames", $"{index1:D4}.jpg");

    public Npz Golden { get; }
    public Npz GoldenFree { get; }
    public SiamFCppTrackerConfig Config { get; }
    public BoxXywh[] Gt { get; }

    // Initialisation
    public double[] ChannelMean { get; }
    public double[] InitPos { get; }
    public double[] InitSize { get; }
    public double[] TemplateMatrix { get; }
    public byte[] TemplateCrop { get; }
    public float[] ClsKernel { get; }
    public float[] RegKernel { get; }
    public double[] Window { get; }

    // Teacher-forced frames 2..20, one entry per frame (key -> values of all frames concatenated).
    public Dictionary<string, List<double>> Ours { get; } = new();
    public List<byte[]> SearchCrops { get; } = new();

    // Free run, chained (our own states) and replayed one step at a time from the golden free-run states.
    public Dictionary<string, List<double>> OursFree { get; } = new();
    public Dictionary<string, List<double>> OursFreeReplayed { get; } = new();

    public SiamFCppTrackingFixture()
    {
        Golden = Npz.Load(TrackingPath);
        GoldenFree = Npz.Load(FreeRunPath);
        Config = SiamFCppTrackerConfig.FromYaml(ConfigPath);
        var gt = Golden["gt_xywh"].ToDoubleArray();
        Gt = Enumerable.Range(0, gt.Length / 4).Select(i => new BoxXywh(gt[4 * i], gt[4 * i + 1], gt[4 * i + 2], gt[4 * i + 3])).ToArray();

        using (var tracker = CreateTracker())
        {
            using (var frame1 = Cv2.ImRead(FramePath(1)))
                tracker.Initialize(frame1, Gt[0]);
            ChannelMean = tracker.ChannelMean.ToArray();
            InitPos = [tracker.Center.X, tracker.Center.Y];
            InitSize = [tracker.Size.Width, tracker.Size.Height];
            TemplateMatrix = tracker.LastStep.TemplateGeometry.Matrix;
            TemplateCrop = Bytes(tracker.TemplateCrop);
            ClsKernel = tracker.TemplateKernels.Cls.contiguous().data<float>().ToArray();
            RegKernel = tracker.TemplateKernels.Reg.contiguous().data<float>().ToArray();
            Window = tracker.Window.ToArray();

            for (int t = 1; t < Gt.Length; t++)
            {
                using var frame = Cv2.ImRead(FramePath(t + 1));
                var result = tracker.Track(frame, Gt[t - 1]);
                var step = tracker.LastStep;
                var maps = tracker.LastMaps();
                SearchCrops.Add(Bytes(tracker.SearchCrop));
                Add(Ours, "track/x_warp_M", step.SearchGeometry.Matrix);
                Add(Ours, "track/scale_x", step.SearchGeometry.ScaleX);
                Add(Ours, "track/score", maps.Score.Select(v => (double)v));
                Add(Ours, "track/cls", maps.Cls.Select(v => (double)v));
                Add(Ours, "track/ctr", maps.Ctr.Select(v => (double)v));
                Add(Ours, "track/box_xyxy", maps.BoxXyxy.Select(v => (double)v));
                Add(Ours, "track/box_cxywh", maps.BoxCxywh.Select(v => (double)v));
                Add(Ours, "track/penalty", maps.Penalty.Select(v => (double)v));
                Add(Ours, "track/pscore", maps.PScore);
                Add(Ours, "track/best_id", step.BestIndex);
                Add(Ours, "track/best_pscore", step.BestPScore);
                Add(Ours, "track/bbox_pred_in_crop", step.BoxInCrop.Select(v => (double)v));
                Add(Ours, "track/pos_before_restrict", step.CenterBeforeRestrict.X, step.CenterBeforeRestrict.Y);
                Add(Ours, "track/sz_before_restrict", step.SizeBeforeRestrict.Width, step.SizeBeforeRestrict.Height);
                Add(Ours, "track/pos", tracker.Center.X, tracker.Center.Y);
                Add(Ours, "track/sz", tracker.Size.Width, tracker.Size.Height);
                Add(Ours, "track/rect_xywh", result.Box.X, result.Box.Y, result.Box.Width, result.Box.Height);
            }
        }

        using (var tracker = CreateTracker())
        {
            using (var frame1 = Cv2.ImRead(FramePath(1)))
                tracker.Initialize(frame1, Gt[0]);
            for (int t = 1; t < Gt.Length; t++)
            {
                using var frame = Cv2.ImRead(FramePath(t + 1));
                var result = tracker.Track(frame);
                var step = tracker.LastStep;
                Add(OursFree, "free/scale_x", step.SearchGeometry.ScaleX);
                Add(OursFree, "free/best_id", step.BestIndex);
                Add(OursFree, "free/best_pscore", step.BestPScore);
                Add(OursFree, "free/pos", tracker.Center.X, tracker.Center.Y);
                Add(OursFree, "free/sz", tracker.Size.Width, tracker.Size.Height);
                Add(OursFree, "free/rect_xywh", result.Box.X, result.Box.Y, result.Box.Width, result.Box.Height);
                Add(OursFree, "free/bbox_pred_in_crop", step.BoxInCrop.Select(v => (double)v));
                Add(OursFree, "free/pscore", tracker.LastMaps().PScore);
            }
        }
        Replay();
    }

    private void Replay()
    {
        var pos = GoldenFree["free/pos"].ToDoubleArray();
        var sz = GoldenFree["free/sz"].ToDoubleArray();
        using var tracker = CreateTracker();
        using (var frame1 = Cv2.ImRead(FramePath(1)))
            tracker.Initialize(frame1, Gt[0]);
        for (int t = 1; t < Gt.Length; t++)
        {
            using var frame = Cv2.ImRead(FramePath(t + 1));
            if (t > 1) tracker.SetState((pos[2 * (t - 2)], pos[2 * (t - 2) + 1]), (sz[2 * (t - 2)], sz[2 * (t - 2) + 1]));
            var result = tracker.Track(frame);
            var step = tracker.LastStep;
            Add(OursFreeReplayed, "free/scale_x", step.SearchGeometry.ScaleX);
            Add(OursFreeReplayed, "free/best_id", step.BestIndex);
            Add(OursFreeReplayed, "free/best_pscore", step.BestPScore);
            Add(OursFreeReplayed, "free/pos", tracker.Center.X, tracker.Center.Y);
            Add(OursFreeReplayed, "free/sz", tracker.Size.Width, tracker.Size.Height);
            Add(OursFreeReplayed, "free/rect_xywh", result.Box.X, result.Box.Y, result.Box.Width, result.Box.Height);
            Add(OursFreeReplayed, "free/bbox_pred_in_crop", step.BoxInCrop.Select(v => (double)v));
            Add(OursFreeReplayed, "free/pscore", tracker.LastMaps().PScore);
        }
    }

    public SiamFCppTracker CreateTracker() =>
        new(SiamFCppFactory.LoadModel(SiamFCppForwardFixture.WeightsPath, SiamFCppModelConfig.Small), Config);

    public static byte[] Bytes(Mat image)
    {
        Assert.True(image.IsContinuous());
        var bytes = new byte[image.Total() * image.ElemSize()];
        System.Runtime.InteropServices.Marshal.Copy(image.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    private static void Add(Dictionary<string, List<double>> d, string key, IEnumerable<double> values)
    {
        if (!d.TryGetValue(key, out var list)) d[key] = list = new List<double>();
        list.AddRange(values);
    }

    private static void Add(Dictionary<string, List<double>> d, string key, params double[] values) =>
        Add(d, key, (IEnumerable<double>)values);

    public void Dispose()
    {
        Golden.Dispose();
        GoldenFree.Dispose();
    }
}

/// <summary>
/// SiamFC++ tracker parity with videoanalyst's <c>SiamFCppTracker</c> on golden/siamfcpp_small: initialisation
/// (init/*), the teacher-forced run (tracking.npz track/*, frame by frame) and the free run
/// (tracking_free_run.npz free/*). Messages name the file, key and frame.
/// </summary>
public class SiamFCppTrackerTests : IClassFixture<SiamFCppTrackingFixture>
{
    private readonly SiamFCppTrackingFixture _f;
    private readonly ITestOutputHelper _output;

    public SiamFCppTrackerTests(SiamFCppTrackingFixture fixture, ITestOutputHelper output)
    {
        _f = fixture;
        _output = output;
    }

    [Fact]
    public void GoldenTestConfigIsReadAsTheReferenceResolvedIt()
    {
        var c = _f.Config;
        Assert.Equal(0.5, c.ContextAmount);
        Assert.Equal(127, c.ZSize);
        Assert.Equal(303, c.XSize);
        Assert.Equal(3, c.NumConv3x3);
        Assert.Equal(8, c.TotalStride);
        Assert.Equal(17, c.ScoreSize);
        Assert.Equal(87, c.ScoreOffset);
        Assert.Equal(0.04, c.PenaltyK);
        Assert.Equal(0.21, c.WindowInfluence);
        Assert.Equal(0.52, c.TestLr);
        Assert.Equal("cosine", c.Windowing);
        Assert.Equal(10, c.MinW);
        Assert.Equal(10, c.MinH);
    }

    [Fact]
    public void InitialisationMatchesTheReference()
    {
        Assert.True(_f.Golden["init/avg_chans"].ToDoubleArray().SequenceEqual(_f.ChannelMean),
            $"tracking.npz init/avg_chans: [{string.Join(", ", _f.ChannelMean)}]");
        Assert.True(_f.Golden["init/init_pos"].ToFloatArray().Select(v => (double)v).SequenceEqual(_f.InitPos),
            $"tracking.npz init/init_pos: [{string.Join(", ", _f.InitPos)}]");
        Assert.True(_f.Golden["init/init_sz"].ToFloatArray().Select(v => (double)v).SequenceEqual(_f.InitSize),
            $"tracking.npz init/init_sz: [{string.Join(", ", _f.InitSize)}]");
        Assert.True(_f.Golden["init/z_warp_M"].ToDoubleArray().SequenceEqual(_f.TemplateMatrix),
            $"tracking.npz init/z_warp_M: [{string.Join(", ", _f.TemplateMatrix)}]");
        Tolerance.AssertClose(_f.Golden["init/window"].ToDoubleArray(), _f.Window, 1e-12, "tracking.npz init/window");
    }

    [Fact]
    public void TemplateCropIsPixelExact()
    {
        var expected = _f.Golden["init/z_crop"].ToByteArray();
        AssertBytes(expected, _f.TemplateCrop, "tracking.npz init/z_crop");
    }

    [Theory]
    [InlineData("init/c_z_k")]
    [InlineData("init/r_z_k")]
    public void TemplateKernelsMatch(string key)
    {
        var ours = key == "init/c_z_k" ? _f.ClsKernel : _f.RegKernel;
        var expected = _f.Golden[key].ToFloatArray();
        double err = Tolerance.MaxMixedError(expected, ours);
        _output.WriteLine($"tracking.npz {key}: max mixed error {err:E3}");
        Assert.True(err <= 1e-4, $"tracking.npz {key}: max error {err:E3} > 1e-4");
    }

    [Fact]
    public void SearchCropsArePixelExact()
    {
        var all = _f.Golden["track/x_crop"].ToByteArray();
        int size = 303 * 303 * 3;
        for (int j = 0; j < _f.SearchCrops.Count; j++)
            AssertBytes(all.AsSpan(j * size, size).ToArray(), _f.SearchCrops[j], $"tracking.npz track/x_crop frame {j + 2}");
    }

    /// <summary>Key, tolerance, mixed (relative above 1) or absolute.</summary>
    public static TheoryData<string, double, bool> TrackKeys => new()
    {
        { "track/x_warp_M", 0, false },
        { "track/scale_x", 0, false },
        { "track/score", 1e-4, true },
        { "track/cls", 1e-4, true },
        { "track/ctr", 1e-4, true },
        { "track/box_xyxy", 1e-4, true },
        { "track/box_cxywh", 1e-4, true },
        { "track/penalty", 1e-4, true },
        { "track/pscore", 1e-4, true },
        { "track/best_id", 0, false },
        { "track/best_pscore", 1e-4, true },
        { "track/bbox_pred_in_crop", 0, false },
        { "track/pos_before_restrict", 0.01, false },
        { "track/sz_before_restrict", 0.01, false },
        { "track/pos", 0.01, false },
        { "track/sz", 0.01, false },
        { "track/rect_xywh", 0.01, false },
    };

    [Theory, MemberData(nameof(TrackKeys))]
    public void TeacherForcedFramesMatch(string key, double tolerance, bool mixed) =>
        Compare(_f.Golden, "tracking.npz", key, _f.Ours[key], tolerance, mixed);

    public static TheoryData<string, double, bool> FreeKeys => new()
    {
        { "free/scale_x", 1e-6, true },
        { "free/best_id", 0, false },
        { "free/best_pscore", 1e-4, true },
        { "free/bbox_pred_in_crop", 0, false },
        { "free/pos", 0.01, false },
        { "free/sz", 0.01, false },
        { "free/rect_xywh", 0.01, false },
        { "free/pscore", 1e-4, true },
    };

    /// <summary>Each free-run frame replayed from the reference's own previous state (float64, SetState).</summary>
    [Theory, MemberData(nameof(FreeKeys))]
    public void FreeRunReplayedFromTheReferenceStatesMatches(string key, double tolerance, bool mixed) =>
        Compare(_f.GoldenFree, "tracking_free_run.npz (replayed)", key, _f.OursFreeReplayed[key], tolerance, mixed);

    /// <summary>Frames of the chained free run (our own states) compared with the tolerances above.</summary>
    public const int ChainedFramesChecked = 6; // frames 2..7

    /// <summary>
    /// The chained free run: float32-level differences in the network outputs (~1e-6) move the state by ~1e-5 px,
    /// which flips some of warpAffine's 1/32-pixel sub-pixel bins once the target is small and scale_x large, so
    /// the runs drift apart after a few frames (README: errors compound). The first
    /// <see cref="ChainedFramesChecked"/> frames are held to the per-frame tolerances.
    /// </summary>
    [Theory, MemberData(nameof(FreeKeys))]
    public void FreeRunChainedMatchesOverItsFirstFrames(string key, double tolerance, bool mixed) =>
        Compare(_f.GoldenFree, "tracking_free_run.npz (chained)", key, _f.OursFree[key], tolerance, mixed, ChainedFramesChecked);

    private void Compare(Npz golden, string file, string key, List<double> ours, double tolerance, bool mixed, int frames = 19)
    {
        var g = golden[key];
        double[] expected = g.Kind == 'f' ? g.ToDoubleArray() : g.ToLongArray().Select(v => (double)v).ToArray();
        Assert.True(expected.Length == ours.Count, $"{file} {key}: {ours.Count} values vs golden {expected.Length}");
        int perFrame = expected.Length / 19;
        double worst = 0;
        int worstAt = 0;
        for (int i = 0; i < frames * perFrame; i++)
        {
            double err = Math.Abs(ours[i] - expected[i]);
            if (mixed) err /= Math.Max(1, Math.Abs(expected[i]));
            if (err > worst || double.IsNaN(err)) { worst = err; worstAt = i; }
        }
        _output.WriteLine($"{file} {key}: max {(mixed ? "mixed" : "abs")} error {worst:E3}");
        if (!(worst <= tolerance))
            throw new XunitException(
                $"{file} {key}: frame {worstAt / perFrame + 2} element {worstAt % perFrame}: ours {ours[worstAt]:R} vs golden {expected[worstAt]:R} (error {worst:E3} > {tolerance:E1})");
    }

    private static void AssertBytes(byte[] expected, byte[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} bytes vs golden {expected.Length}");
        int differ = 0, maxDiff = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = Math.Abs(expected[i] - actual[i]);
            if (d != 0) { differ++; maxDiff = Math.Max(maxDiff, d); }
        }
        Assert.True(differ == 0, $"{what}: {differ} bytes differ (max {maxDiff} grey levels)");
    }

    [Fact]
    public void RegistryEntryRequiresWeights()
    {
        var e = Assert.Throws<ArgumentException>(() => TrackerRegistry.Default.Create("siamfcpp", new TrackerOptions()));
        Assert.Contains("--weights", e.Message);
        var v = Assert.Throws<ArgumentException>(() => TrackerRegistry.Default.Create("siamfcpp",
            new TrackerOptions { WeightsPath = SiamFCppForwardFixture.WeightsPath, Version = "huge" }));
        Assert.Contains("huge", v.Message);
    }

    [Fact]
    public void RegistryEntryTracksWithTheGoldenWeightsAndFlagsLowScores()
    {
        using var tracker = TrackerRegistry.Default.Create("siamfcpp",
            new TrackerOptions { WeightsPath = SiamFCppForwardFixture.WeightsPath, Version = "small", LostThreshold = 2 });
        using var frame1 = Cv2.ImRead(SiamFCppTrackingFixture.FramePath(1));
        using var frame2 = Cv2.ImRead(SiamFCppTrackingFixture.FramePath(2));
        tracker.Initialize(frame1, _f.Gt[0]);
        var result = tracker.Track(frame2);
        var expected = _f.GoldenFree["free/rect_xywh"].ToDoubleArray();
        Assert.InRange(Math.Abs(result.Box.X - expected[0]), 0, 0.01);
        Assert.InRange(Math.Abs(result.Box.Width - expected[2]), 0, 0.01);
        Assert.InRange(result.Score, 0, 1);
        Assert.True(result.TargetLost, "a score below LostThreshold 2 must flag TargetLost");
    }
}
