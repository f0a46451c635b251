using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Geometry;
using TrackSharp.Imaging;
using TrackSharp.Trackers.OSTrack;
using TrackSharp.Tracking;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace TrackSharp.Tests.OSTrack;

/// <summary>
/// The OSTrack tracker on golden/ostrack_small/tracking (21 frames of VOT "bag", weights.pth): the teacher-forced run
/// (state := ground truth before each frame) and the free run, recorded from <c>lib/test/tracker/ostrack.py</c>.
/// </summary>
public sealed class OSTrackTrackingFixture : IDisposable
{
    public static string TrackingFolder => Path.Combine(OSTrackGolden.Folder, "tracking");

    public Npz Golden { get; } = Npz.Load(Path.Combine(TrackingFolder, "track.npz"));
    public JsonElement Meta { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(TrackingFolder, "track.json"))).RootElement;

    public byte[] TemplateCrop { get; }
    public float[] TemplateTensor { get; }
    public bool[]? TemplateMask { get; }
    public long[] FrameSums { get; }
    public List<(byte[] Crop, double ResizeFactor, float[] Score, float[] Response, int Peak, BoxCxcywh Normalized,
        BoxCxcywh Pixels, BoxXywh Mapped, BoxXywh Out, IReadOnlyList<float[]> Removed)> TeacherForced { get; } = new();
    public List<BoxXywh> FreeRun { get; } = new();

    public OSTrackTrackingFixture()
    {
        var frames = Meta.GetProperty("frames").EnumerateArray().Select(f => ImageIO.Read(Path.Combine(TrackingFolder, f.GetString()!))).ToList();
        try
        {
            FrameSums = frames.Select(f => Bytes(f).Sum(b => (long)b)).ToArray();
            var gt = Golden["gt_xywh"].ToDoubleArray();
            BoxXywh Gt(int i) => new(gt[4 * i], gt[4 * i + 1], gt[4 * i + 2], gt[4 * i + 3]);
            using var tracker = OSTrackTrackerFactory.Create(OSTrackGolden.WeightsPath, OSTrackGolden.ConfigPath);
            tracker.Initialize(frames[0], Gt(0));
            TemplateCrop = Bytes(tracker.TemplateCrop!);
            using (var z = new OSTrackPreprocessor().Process(tracker.TemplateCrop!)) TemplateTensor = z.data<float>().ToArray();
            using (var m = CeTemplateMask.Create(tracker.Model.Config, 1)) TemplateMask = m?.data<bool>().ToArray();
            for (int t = 0; t + 1 < frames.Count; t++)
            {
                var r = tracker.Track(frames[t + 1], Gt(t));
                var s = tracker.LastStep;
                TeacherForced.Add((Bytes(tracker.SearchCrop!), s.ResizeFactor, s.ScoreMap, s.Response, s.PeakIndex,
                    s.PredictedNormalized, s.PredictedPixels, s.MappedBack, r.Box, s.RemovedIndexes));
            }
            tracker.Initialize(frames[0], Gt(0));
            for (int t = 1; t < frames.Count; t++) FreeRun.Add(tracker.Track(frames[t]).Box);
        }
        finally
        {
            foreach (var f in frames) f.Dispose();
        }
    }

    public static byte[] Bytes(Mat image)
    {
        using var continuous = image.Clone();
        var bytes = new byte[continuous.Total() * continuous.ElemSize()];
        Marshal.Copy(continuous.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    public void Dispose() => Golden.Dispose();
}

/// <summary>
/// Teacher-forced and free tracking parity with botaoye/OSTrack (golden/ostrack_small/tracking, track.npz/track.json,
/// crops/*.png): crops byte-exact, network maps within 1e-4, the windowed peak identical, every output box within 0.01 px.
/// </summary>
public class OSTrackTrackerTests : IClassFixture<OSTrackTrackingFixture>
{
    private const double BoxTolPx = 0.01;
    private readonly OSTrackTrackingFixture _f;
    private readonly ITestOutputHelper _output;

    public OSTrackTrackerTests(OSTrackTrackingFixture fixture, ITestOutputHelper output)
    {
        _f = fixture;
        _output = output;
    }

    [Fact]
    public void FramesDecodeToTheReferencePixels()
    {
        var expected = _f.Meta.GetProperty("frame_rgb_sum").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal(expected, _f.FrameSums);
    }

    [Fact]
    public void TemplateCropTensorAndMaskAreTheReference()
    {
        using var png = Cv2.ImRead(Path.Combine(OSTrackTrackingFixture.TrackingFolder, "crops", "template.png"), ImreadModes.Color);
        Assert.True(OSTrackTrackingFixture.Bytes(png).SequenceEqual(_f.TemplateCrop), "crops/template.png differs from our template crop");
        var z = _f.Golden["init/z_tensor"].ToFloatArray();
        double worst = z.Zip(_f.TemplateTensor).Max(p => Math.Abs(p.First - p.Second));
        _output.WriteLine($"track.npz/init/z_tensor: max abs error {worst:E3}");
        Assert.True(worst == 0, $"track.npz/init/z_tensor: max abs error {worst:E3} (the Preprocessor is float32-exact)");
        Assert.Equal(_f.Golden["init/box_mask_z"].ToBoolArray(), _f.TemplateMask);
    }

    [Fact]
    public void HannWindowIsTheReference()
    {
        using var w = HannWindow.Hann2d(16, 16);
        Assert.Equal(_f.Golden["hann_window"].ToFloatArray(), w.data<float>().ToArray());
    }

    [Fact]
    public void SearchCropsAreByteExact()
    {
        var factors = _f.Golden["tf/x_resize_factor"].ToDoubleArray();
        for (int t = 0; t < _f.TeacherForced.Count; t++)
        {
            using var png = Cv2.ImRead(Path.Combine(OSTrackTrackingFixture.TrackingFolder, "crops", $"search_{t:00}.png"), ImreadModes.Color);
            Assert.True(OSTrackTrackingFixture.Bytes(png).SequenceEqual(_f.TeacherForced[t].Crop), $"crops/search_{t:00}.png differs");
            Assert.Equal(factors[t], _f.TeacherForced[t].ResizeFactor);
        }
    }

    [Theory]
    [InlineData("tf/score_map")]
    [InlineData("tf/response")]
    public void MapsMatchWithin1e4(string key)
    {
        var expected = _f.Golden[key].ToFloatArray();
        int n = expected.Length / _f.TeacherForced.Count;
        double worst = 0;
        for (int t = 0; t < _f.TeacherForced.Count; t++)
        {
            var ours = key == "tf/score_map" ? _f.TeacherForced[t].Score : _f.TeacherForced[t].Response;
            for (int i = 0; i < n; i++) worst = Math.Max(worst, Math.Abs(ours[i] - expected[t * n + i]));
        }
        _output.WriteLine($"track.npz/{key}: max abs error {worst:E3}");
        Assert.True(worst <= 1e-4, $"track.npz/{key}: max abs error {worst:E3}");
    }

    [Fact]
    public void PeaksAndBoxesMatchTheReference()
    {
        var peaks = _f.Golden["tf/derived_peak_index"].ToLongArray();
        var normalized = _f.Golden["tf/pred_boxes_response"].ToFloatArray();
        var scaled = _f.Golden["tf/pred_box_scaled"].ToDoubleArray();
        var mapped = _f.Golden["tf/box_mapped_back"].ToDoubleArray();
        var outBox = _f.Golden["tf/out_box"].ToDoubleArray();
        double wN = 0, wS = 0, wM = 0, wO = 0;
        for (int t = 0; t < _f.TeacherForced.Count; t++)
        {
            var r = _f.TeacherForced[t];
            Assert.True(peaks[t] == r.Peak, $"track.npz/tf/derived_peak_index[{t}]: ours {r.Peak}, golden {peaks[t]}");
            wN = Math.Max(wN, MaxDiff(normalized.AsSpan(4 * t, 4).ToArray().Select(v => (double)v).ToArray(), [r.Normalized.Cx, r.Normalized.Cy, r.Normalized.Width, r.Normalized.Height]));
            wS = Math.Max(wS, MaxDiff(scaled.AsSpan(4 * t, 4).ToArray(), [r.Pixels.Cx, r.Pixels.Cy, r.Pixels.Width, r.Pixels.Height]));
            wM = Math.Max(wM, MaxDiff(mapped.AsSpan(4 * t, 4).ToArray(), [r.Mapped.X, r.Mapped.Y, r.Mapped.Width, r.Mapped.Height]));
            wO = Math.Max(wO, MaxDiff(outBox.AsSpan(4 * t, 4).ToArray(), [r.Out.X, r.Out.Y, r.Out.Width, r.Out.Height]));
        }
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tf/pred_boxes_response {wN:E3}, tf/pred_box_scaled {wS:E3} px, tf/box_mapped_back {wM:E3} px, tf/out_box {wO:E3} px"));
        Assert.True(wN <= 1e-4, $"track.npz/tf/pred_boxes_response: max abs error {wN:E3}");
        Assert.True(wO <= BoxTolPx && wM <= BoxTolPx && wS <= BoxTolPx,
            string.Create(CultureInfo.InvariantCulture, $"track.npz/tf boxes: scaled {wS:E3}, mapped {wM:E3}, out {wO:E3} px (tolerance {BoxTolPx})"));
    }

    [Fact]
    public void RemovedTokensAreTheReferenceSets()
    {
        for (int i = 0; i < 2; i++)
        {
            var expected = _f.Golden[$"tf/removed_indexes_s_{i}"];
            long n = expected.Shape[1];
            var values = expected.ToFloatArray();
            for (int t = 0; t < _f.TeacherForced.Count; t++)
            {
                var golden = values.AsSpan((int)(t * n), (int)n).ToArray().Order();
                Assert.True(golden.SequenceEqual(_f.TeacherForced[t].Removed[i].Order()),
                    $"track.npz/tf/removed_indexes_s_{i}[{t}]: a different set of removed tokens");
            }
        }
    }

    /// <summary>The free run (state = previous output). With random weights the box grows to the whole frame within a
    /// few frames (then clip_box holds it at 0,0,480,360), so only its first frames are informative.</summary>
    [Fact]
    public void FreeRunBoxesMatchWithinAHundredthOfAPixel()
    {
        var outBox = _f.Golden["free/out_box"].ToDoubleArray();
        double worst = 0;
        for (int t = 0; t < _f.FreeRun.Count; t++)
        {
            var b = _f.FreeRun[t];
            worst = Math.Max(worst, MaxDiff(outBox.AsSpan(4 * t, 4).ToArray(), [b.X, b.Y, b.Width, b.Height]));
        }
        _output.WriteLine($"track.npz/free/out_box: max abs error {worst:E3} px");
        for (int t = 0; t < _f.FreeRun.Count; t += 5)
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  frame {t + 1}: ours {_f.FreeRun[t]}, golden [{string.Join(", ", outBox.AsSpan(4 * t, 4).ToArray())}]"));
        Assert.True(worst <= BoxTolPx, $"track.npz/free/out_box: max abs error {worst:E3} px");
    }

    [Fact]
    public void RegistryCreatesOSTrackFromWeightsWithTheConfigBeside()
    {
        var e = Assert.Throws<ArgumentException>(() => TrackerRegistry.Default.Create("ostrack", new TrackerOptions()));
        Assert.Contains("--weights", e.Message);
        // golden/ostrack_small holds config.yaml beside weights.pth: the small network is built from it.
        using var tracker = TrackerRegistry.Default.Create("ostrack", new TrackerOptions { WeightsPath = OSTrackGolden.WeightsPath });
        var ostrack = Assert.IsType<OSTrackTracker>(tracker);
        Assert.Equal(64, ostrack.Model.Config.EmbedDim);
    }

    [Fact]
    public void TrackBeforeInitializeThrows()
    {
        using var tracker = OSTrackTrackerFactory.Create(OSTrackGolden.WeightsPath, OSTrackGolden.ConfigPath);
        using var frame = new Mat(64, 64, MatType.CV_8UC3, Scalar.All(0));
        Assert.Throws<InvalidOperationException>(() => tracker.Track(frame));
        Assert.Throws<ArgumentException>(() => tracker.Initialize(frame, new BoxXywh(10, 10, 0, 5)));
    }

    private static double MaxDiff(double[] expected, double[] actual) => expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
}
