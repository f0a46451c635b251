using TrackSharp.Checkpoints;
using TrackSharp.Data.Targets;
using TrackSharp.Geometry;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Data.Targets;

/// <summary>Golden: ostrack_small/processing.npz, keys heatmap_* (README §6, trap 25).</summary>
public class CenterHeatmapTests
{
    private const string File = "golden/ostrack_small/processing.npz";

    private static Npz Golden() => Npz.Load(Path.Combine(TestPaths.Shared, File));

    private static float[] Boxes(Npz npz) => npz["heatmap_boxes_xywh_norm"].ToFloatArray(); // (1,6,4)

    [Fact]
    public void Golden_RadiusAndCentres()
    {
        using var npz = Golden();
        var boxes = Boxes(npz);
        var radius = npz["heatmap_radius_float"].ToFloatArray();
        var centres = npz["heatmap_centers_int"].ToFloatArray();
        Assert.Equal(6, radius.Length);
        for (int b = 0; b < 6; b++)
        {
            var p = CenterHeatmap.Place(boxes[4 * b], boxes[4 * b + 1], boxes[4 * b + 2], boxes[4 * b + 3], 16);
            Assert.True(radius[b] == p.RadiusRaw,
                $"{File} heatmap_radius_float[{b}]: {p.RadiusRaw:R} vs expected {radius[b]:R}");
            Assert.True(centres[2 * b] == p.CenterX && centres[2 * b + 1] == p.CenterY,
                $"{File} heatmap_centers_int[{b}]: ({p.CenterX}, {p.CenterY}) vs expected ({centres[2 * b]}, {centres[2 * b + 1]})");
            Assert.Equal((int)Math.Max(radius[b], 0f), p.Radius);
        }
    }

    [Fact]
    public void Golden_Maps_ArrayForm()
    {
        using var npz = Golden();
        var boxes = Boxes(npz);
        var expected = npz["heatmap_maps"].ToFloatArray();
        var list = Enumerable.Range(0, 6)
            .Select(b => new BoxXywh(boxes[4 * b], boxes[4 * b + 1], boxes[4 * b + 2], boxes[4 * b + 3])).ToList();
        var maps = CenterHeatmap.Generate(list);
        Assert.Equal(new[] { 6, 16, 16 }, new[] { maps.GetLength(0), maps.GetLength(1), maps.GetLength(2) });
        AssertMaps(expected, maps.Cast<float>().ToArray(), "heatmap_maps");
    }

    [Fact]
    public void Golden_Maps_TensorForm()
    {
        using var npz = Golden();
        var expected = npz["heatmap_maps"].ToFloatArray();
        using var boxes = npz.Tensor("heatmap_boxes_xywh_norm"); // (1,6,4)
        using var maps = CenterHeatmap.Generate(boxes, 256, 16);
        Assert.Equal(new long[] { 1, 6, 16, 16 }, maps.shape);
        Assert.Equal(ScalarType.Float32, maps.dtype);
        AssertMaps(expected, maps.data<float>().ToArray(), "heatmap_maps (tensor form)");
    }

    /// <summary>Expectation is bit-exact (float64 gaussian cast to float32); tolerance 1e-6 is the fallback bar.</summary>
    private static void AssertMaps(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            int b = i / 256, y = i / 16 % 16, x = i % 16;
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6,
                $"{File} {what}[{b},{y},{x}]: {actual[i]:R} vs expected {expected[i]:R}");
            // zeros and the peak 1.0 must be exact: FocalLoss counts positives as cells == 1
            if (expected[i] == 0f || expected[i] == 1f)
                Assert.True(actual[i] == expected[i], $"{File} {what}[{b},{y},{x}]: {actual[i]:R} must be exactly {expected[i]}");
        }
        int exact = expected.Zip(actual).Count(p => p.First == p.Second);
        Assert.True(exact == expected.Length, $"{File} {what}: {expected.Length - exact} cells differ in the last bit");
    }

    [Fact]
    public void Gaussian2D_Radius1_ByHand()
    {
        // sigma = 3/6 = 0.5 -> exp(-d2 / 0.5)
        var g = CenterHeatmap.Gaussian2D(1, 0.5);
        Assert.Equal(1.0, g[1, 1]);
        Assert.Equal(Math.Exp(-2.0), g[0, 1], 15);
        Assert.Equal(Math.Exp(-4.0), g[0, 0], 15);
    }

    [Fact]
    public void DrawGaussian_CentreOffTheLeftEdge_DrawsTheOverlappingPart()
    {
        var map = new float[4, 4];
        CenterHeatmap.DrawGaussian(map, -1, 1, 1); // only the right column of the 3x3 reaches column 0
        var g = CenterHeatmap.Gaussian2D(1, 0.5);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
            {
                float want = x == 0 && y <= 2 ? (float)g[y, 2] : 0f;
                Assert.Equal(want, map[y, x]);
            }
        var far = new float[4, 4];
        CenterHeatmap.DrawGaussian(far, -5, 1, 1);
        CenterHeatmap.DrawGaussian(far, 9, 1, 1);
        Assert.All(far.Cast<float>(), v => Assert.Equal(0f, v));
    }
}
