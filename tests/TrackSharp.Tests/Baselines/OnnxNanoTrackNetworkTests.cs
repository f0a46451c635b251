using System.Diagnostics;
using System.Runtime.InteropServices;
using OpenCvSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Trackers.NanoTrack;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.Baselines;

/// <summary>
/// The official v2 ONNX pair (weights/nanotrack/onnx_v2) against the PyTorch v2 golden
/// golden/nanotrack/v2/tennis_teacher_forced.npz, fed with the golden's own crops.
/// </summary>
public sealed class OnnxNanoTrackNetworkTests(ITestOutputHelper output)
{
    private static string Weights(string file) => Path.Combine(TestPaths.Shared, "weights", "nanotrack", "onnx_v2", file);
    private static readonly string Golden = Path.Combine(TestPaths.Shared, "golden", "nanotrack", "v2", "tennis_teacher_forced.npz");

    private static OnnxNanoTrackNetwork CreateNetwork(int threads = 1) =>
        new(Weights("nanotrack_backbone_sim.onnx"), Weights("nanotrack_head_sim.onnx"), threads);

    /// <summary>A CV_8UC3 Mat holding image <paramref name="index"/> of an N x side x side x 3 uint8 golden array.</summary>
    private static Mat CropFromGolden(string key, int index = 0)
    {
        using var npz = Npz.Load(Golden);
        var npy = npz[key];
        int side = (int)npy.Shape[^2];
        int size = side * side * 3;
        var mat = new Mat(side, side, MatType.CV_8UC3);
        Marshal.Copy(npy.ToByteArray(), index * size, mat.Data, size);
        return mat;
    }

    private static float[] GoldenFloats(string key)
    {
        using var npz = Npz.Load(Golden);
        return npz[key].ToFloatArray();
    }

    private static float MaxAbsDiff(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        float max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(float.IsFinite(actual[i]), $"non-finite value at {i}");
            max = Math.Max(max, Math.Abs(actual[i] - expected[i]));
        }
        return max;
    }

    private static float MaxAbs(ReadOnlySpan<float> values)
    {
        float max = 0;
        foreach (float v in values) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    [Fact]
    public void TemplateFeatures_From127Crop_MatchGoldenZf()
    {
        using var net = CreateNetwork();
        using var crop = CropFromGolden("template/z_crop_hwc_bgr");
        net.SetTemplate(crop);

        float[] expected = GoldenFloats("template/zf");
        float diff = MaxAbsDiff(net.TemplateFeatures, expected);
        output.WriteLine($"template/zf: max abs diff {diff:E3} (|zf| max {MaxAbs(expected):F3})");
        Assert.True(diff < 1e-4f, $"template/zf max abs diff {diff}");
    }

    [Fact]
    public void SearchFeaturesAndHead_MatchGoldenFirstTrackedFrames()
    {
        using var net = CreateNetwork();
        using (var z = CropFromGolden("template/z_crop_hwc_bgr"))
            net.SetTemplate(z);

        using var npz = Npz.Load(Golden);
        var xfFirst = npz["track/xf_first"];
        var clsAll = npz["track/cls"].ToFloatArray();
        var locAll = npz["track/loc"].ToFloatArray();
        float[] xfAll = xfFirst.ToFloatArray();
        int crops = (int)npz["track/x_crop_first_hwc_bgr"].Shape[0];
        int s = net.ScoreSize, xfSize = 48 * 16 * 16;
        var cls = new float[2 * s * s];
        var loc = new float[4 * s * s];

        for (int j = 0; j < crops; j++)
        {
            using var crop = CropFromGolden("track/x_crop_first_hwc_bgr", j);
            net.Track(crop, cls, loc);

            if (j < xfFirst.Shape[0])
            {
                var expectedXf = xfAll.AsSpan(j * xfSize, xfSize);
                float dxf = MaxAbsDiff(net.SearchFeatures, expectedXf);
                output.WriteLine($"track/xf_first[{j}]: max abs diff {dxf:E3} (|xf| max {MaxAbs(expectedXf):F3})");
                Assert.True(dxf < 2e-3f, $"track/xf_first[{j}] max abs diff {dxf}");
            }
            var expectedCls = clsAll.AsSpan(j * cls.Length, cls.Length);
            var expectedLoc = locAll.AsSpan(j * loc.Length, loc.Length);
            float dcls = MaxAbsDiff(cls, expectedCls), dloc = MaxAbsDiff(loc, expectedLoc);
            output.WriteLine($"track/cls[{j}]: max abs diff {dcls:E3} (|cls| max {MaxAbs(expectedCls):F3}); " +
                             $"track/loc[{j}]: max abs diff {dloc:E3} (|loc| max {MaxAbs(expectedLoc):F3})");
            Assert.True(dcls < 2e-3f, $"track/cls[{j}] max abs diff {dcls}");
            Assert.True(dloc < 1e-2f, $"track/loc[{j}] max abs diff {dloc}");
        }
    }

    [Fact]
    public void WrongCropSizes_AndTrackBeforeTemplate_Throw()
    {
        using var net = CreateNetwork();
        using var search = new Mat(255, 255, MatType.CV_8UC3, Scalar.All(100));
        var cls = new float[2 * 16 * 16];
        var loc = new float[4 * 16 * 16];
        Assert.Throws<InvalidOperationException>(() => net.Track(search, cls, loc));
        Assert.Throws<ArgumentException>(() => net.SetTemplate(search));
        using var gray = new Mat(127, 127, MatType.CV_8UC1, Scalar.All(100));
        Assert.Throws<ArgumentException>(() => net.SetTemplate(gray));
        using var template = new Mat(127, 127, MatType.CV_8UC3, Scalar.All(100));
        net.SetTemplate(template);
        Assert.Throws<ArgumentException>(() => net.Track(template, cls, loc));
        Assert.Throws<ArgumentException>(() => net.Track(search, new float[10], loc));
        net.Track(search, cls, loc);
        Assert.All(cls, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void MissingModel_ThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => new OnnxNanoTrackNetwork("/nonexistent/backbone.onnx", Weights("nanotrack_head_sim.onnx")));

    /// <summary>The hot path allocates no managed memory per call: 100 Track() calls after warm-up, on preallocated outputs.
    /// (Speed itself is measured by <c>tracksharp bench nanotrack</c>; the median is logged here for orientation.)</summary>
    [Fact]
    public void Track_allocates_no_managed_memory_per_call()
    {
        using var net = CreateNetwork(threads: 1);
        using (var z = CropFromGolden("template/z_crop_hwc_bgr"))
            net.SetTemplate(z);
        using var crop = CropFromGolden("track/x_crop_first_hwc_bgr");
        var cls = new float[2 * 16 * 16];
        var loc = new float[4 * 16 * 16];
        for (int i = 0; i < 10; i++) net.Track(crop, cls, loc);

        var ms = new double[100];
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < ms.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            net.Track(crop, cls, loc);
            ms[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Array.Sort(ms);
        output.WriteLine($"OnnxNanoTrackNetwork.Track (backbone 255 + head, 1 thread): median {ms[ms.Length / 2]:F2} ms over " +
                         $"{ms.Length} calls; managed bytes allocated {allocated / ms.Length} per call");
        // 0 here; a one-off lazy allocation is tolerated, any per-call buffer (the outputs alone are 6 kB) is not.
        Assert.True(allocated < 1600, $"{allocated} managed bytes allocated over {ms.Length} Track() calls");
    }
}
