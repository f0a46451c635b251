using TrackSharp.Evaluation.Vot;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.Evaluation.Vot;

/// <summary>GOT-10k toolkit <c>poly_iou</c> (shapely) parity: the got10k_poly_iou_* entries of vot_overlap_cases.json.</summary>
public class Got10kPolygonIouTests(ITestOutputHelper output)
{
    [Fact]
    public void MatchesShapelyPolyIouOnEveryCase()
    {
        using var doc = GoldenMetrics.Load(Path.Combine("outputs", "vot_overlap_cases.json"));
        var root = doc.RootElement;
        var size = GoldenMetrics.Numbers(root.GetProperty("image_size_WH"));
        double worst = 0;
        int count = 0;
        var failures = new List<string>();
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            if (!c.TryGetProperty("got10k_poly_iou_no_bound", out var noBound)) continue; // special codes: no got10k value
            var pred = VotRegion.FromValues(GoldenMetrics.Numbers(c.GetProperty("pred")));
            var gt = VotRegion.FromValues(GoldenMetrics.Numbers(c.GetProperty("gt")));
            foreach (var (expected, actual) in new[]
            {
                (GoldenMetrics.Number(noBound), Got10kPolygonIou.Compute(pred, gt)),
                (GoldenMetrics.Number(c.GetProperty("got10k_poly_iou_bound_WH")), Got10kPolygonIou.Compute(pred, gt, size[0], size[1])),
            })
            {
                count++;
                double err = Math.Abs(expected - actual);
                worst = Math.Max(worst, err);
                if (!(err <= 1e-6)) failures.Add($"{c.GetProperty("name").GetString()}: {actual:R} vs {expected:R}");
            }
        }
        output.WriteLine($"{count} values, worst error {worst:E3}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(count >= 2 * 166);
    }
}
