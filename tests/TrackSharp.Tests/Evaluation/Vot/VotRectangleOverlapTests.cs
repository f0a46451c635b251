using TrackSharp.Evaluation.Vot;
using Xunit;

namespace TrackSharp.Tests.Evaluation.Vot;

/// <summary>
/// Two rectangles take an analytic path in <see cref="VotOverlap.Compute(VotRegion, VotRegion, RegionBounds)"/>; the
/// same boxes written as 4-vertex polygons go through region.c's scan-line rasteriser. The two must agree bit for
/// bit (the golden rectangle pairs are checked in <see cref="VotOverlapTests"/>); the expected value here comes from
/// the rasteriser, not from the path under test.
/// </summary>
public class VotRectangleOverlapTests
{
    [Fact]
    public void RectanglePathEqualsTheRasteriserOnRandomBoxes()
    {
        var rng = new Random(7);
        var boundsList = new[] { RegionBounds.None, RegionBounds.FromSize(320, 240), RegionBounds.FromSize(319, 239) };
        var failures = new List<string>();
        for (int i = 0; i < 20_000; i++)
        {
            var a = RandomBox(rng);
            var b = rng.Next(3) == 0 ? Jitter(a, rng) : RandomBox(rng);
            var bounds = boundsList[i % boundsList.Length];
            float fast = VotOverlap.Compute(Rect(a), Rect(b), bounds);
            float raster = VotOverlap.Compute(Polygon(a), Polygon(b), bounds);
            if (BitConverter.SingleToInt32Bits(fast) != BitConverter.SingleToInt32Bits(raster))
                failures.Add($"{string.Join(",", a)} vs {string.Join(",", b)} bounds {bounds}: {fast:R} != {raster:R}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} differences, first: {failures.FirstOrDefault()}");
    }

    [Theory]
    [InlineData(10, 10, 0, 20, 12, 12, 5, 5)]      // zero width
    [InlineData(10, 10, -5, 20, 12, 12, 5, 5)]     // negative width
    [InlineData(10.2, 10, 0.2, 20, 10, 10, 5, 5)]  // rounds to zero width
    [InlineData(-50, -50, 30, 30, 0, 0, 10, 10)]   // outside the window
    [InlineData(0, 0, 0, 0, 0, 0, 0, 0)]           // 0/0
    [InlineData(double.NaN, 0, 10, 10, 0, 0, 10, 10)]
    [InlineData(1e12, 0, 1e12, 10, 0, 0, 10, 10)]
    [InlineData(310.5, 230.5, 40, 40, 300, 220, 30, 30)] // half-pixel corners beyond the bounds
    public void EdgeCasesEqualTheRasteriser(double x1, double y1, double w1, double h1, double x2, double y2, double w2, double h2)
    {
        double[] a = [x1, y1, w1, h1], b = [x2, y2, w2, h2];
        foreach (var bounds in new[] { RegionBounds.None, RegionBounds.FromSize(320, 240) })
        {
            float fast = VotOverlap.Compute(Rect(a), Rect(b), bounds);
            float raster = VotOverlap.Compute(Polygon(a), Polygon(b), bounds);
            Assert.Equal(BitConverter.SingleToInt32Bits(raster), BitConverter.SingleToInt32Bits(fast));
        }
    }

    private static double[] RandomBox(Random rng)
    {
        // Integer, half-pixel and arbitrary fractional coordinates, boxes partly or wholly outside a 320x240 image.
        double Coord(double range) => rng.Next(3) switch
        {
            0 => rng.Next(-40, (int)range + 40),
            1 => rng.Next(-40, (int)range + 40) + 0.5,
            _ => rng.NextDouble() * (range + 80) - 40,
        };
        double Size() => rng.Next(4) switch
        {
            0 => rng.Next(1, 6) + (rng.Next(2) == 0 ? 0.5 : 0),
            1 => rng.Next(1, 150),
            _ => rng.NextDouble() * 150 + 0.01,
        };
        return [Coord(320), Coord(240), Size(), Size()];
    }

    private static double[] Jitter(double[] a, Random rng) =>
        [a[0] + rng.Next(-3, 4) * 0.5, a[1] + rng.Next(-3, 4) * 0.5, Math.Max(0.01, a[2] + rng.Next(-3, 4)), Math.Max(0.01, a[3] + rng.Next(-3, 4))];

    private static VotRegion Rect(double[] b) => VotRegion.Rectangle(b[0], b[1], b[2], b[3]);

    // The corners exactly as pysot's vot_overlap builds them from a rectangle (sums in double).
    private static VotRegion Polygon(double[] b) =>
        VotRegion.FromValues([b[0], b[1], b[0] + b[2], b[1], b[0] + b[2], b[1] + b[3], b[0], b[1] + b[3]]);
}
