using System.Text.Json;
using TrackSharp.Evaluation.Vot;
using Xunit;

namespace TrackSharp.Tests.Evaluation.Vot;

/// <summary>
/// pysot <c>vot_overlap</c> parity: golden/metrics/outputs/vot_overlap_cases.json (169 region pairs) and the
/// <c>pysot_vot_overlap</c> entries of box_cases.json (154 rectangle pairs), bounds none / (W,H) / (W-1,H-1).
/// The overlap is a float32 computed from pixel counts, so the comparison is exact.
/// </summary>
public class VotOverlapTests
{
    [Theory]
    [InlineData("vot_overlap_cases.json")]
    [InlineData("box_cases.json")]
    public void MatchesPysotVotOverlapOnEveryCase(string file)
    {
        using var doc = GoldenMetrics.Load(Path.Combine("outputs", file));
        var root = doc.RootElement;
        var size = GoldenMetrics.Numbers(root.GetProperty("image_size_WH"));
        double w = size[0], h = size[1];
        var bounds = new Dictionary<string, RegionBounds>
        {
            ["bound_none"] = RegionBounds.None,
            ["bound_WH"] = RegionBounds.FromSize(w, h),
            ["bound_W-1H-1"] = RegionBounds.FromSize(w - 1, h - 1),
        };
        var failures = new List<string>();
        int checkedCount = 0;
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            var name = c.GetProperty("name").GetString();
            var pred = VotRegion.FromValues(GoldenMetrics.Numbers(c.GetProperty("pred")));
            var gt = VotRegion.FromValues(GoldenMetrics.Numbers(c.GetProperty("gt")));
            foreach (var entry in c.GetProperty("pysot_vot_overlap").EnumerateObject())
            {
                double expected = GoldenMetrics.Number(entry.Value);
                double actual = VotOverlap.Compute(pred, gt, bounds[entry.Name]);
                checkedCount++;
                if (!GoldenMetrics.Close(expected, actual, 0.0))
                    failures.Add($"{name} {entry.Name}: {actual:R} vs {expected:R}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count}/{checkedCount} mismatches:\n" + string.Join("\n", failures));
        Assert.True(checkedCount >= 3 * 154);
    }

    [Fact]
    public void InclusiveRasterisationGivesTheDocumentedBoxExample()
    {
        // METRICS.md trap 10, computed by hand: [0,0,10,10] covers 11x11 pixels, [5,0,10,10] shares 6x11 of them.
        var a = VotRegion.Rectangle(0, 0, 10, 10);
        var b = VotRegion.Rectangle(5, 0, 10, 10);
        Assert.Equal(66f / 176f, VotOverlap.Compute(a, b, RegionBounds.None));
        Assert.True(float.IsNaN(VotOverlap.Compute(VotRegion.Special(2), b, RegionBounds.None)));
    }
}
