using TrackSharp.Evaluation.Got10k;
using TrackSharp.Geometry;
using Xunit;
using Xunit.Abstractions;
using static TrackSharp.Tests.Evaluation.GoldenMetrics;

namespace TrackSharp.Tests.Evaluation.Got10k;

/// <summary>golden/metrics/outputs/box_cases.json, key <c>cases[*].got10k</c>: the raw primitives of got10k/utils/metrics.py.</summary>
public class Got10kBoxMetricsTests(ITestOutputHelper output)
{
    [Fact]
    public void AllBoxCasesMatchTheToolkitPrimitives()
    {
        var root = Json("box_cases.json");
        var size = Numbers(root.GetProperty("image_size_WH"));
        int w = (int)size[0], h = (int)size[1];
        double worst = 0;
        int count = 0;
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            var p = Numbers(c.GetProperty("pred"));
            var g = Numbers(c.GetProperty("gt"));
            var pred = new BoxXywh(p[0], p[1], p[2], p[3]);
            var gt = new BoxXywh(g[0], g[1], g[2], g[3]);
            var e = c.GetProperty("got10k");
            worst = Math.Max(worst, AssertClose(Number(e.GetProperty("rect_iou")), Got10kBoxMetrics.RectIou(pred, gt), $"{name} rect_iou"));
            worst = Math.Max(worst, AssertClose(Number(e.GetProperty("rect_iou_bound_WH")), Got10kBoxMetrics.RectIou(pred, gt, w, h), $"{name} rect_iou bound"));
            worst = Math.Max(worst, AssertClose(Number(e.GetProperty("center_error")), Got10kBoxMetrics.CenterError(pred, gt), $"{name} center_error"));
            worst = Math.Max(worst, AssertClose(Number(e.GetProperty("normalized_center_error")), Got10kBoxMetrics.NormalizedCenterError(pred, gt), $"{name} normalized_center_error"));
            count++;
        }
        Assert.Equal(154, count);
        output.WriteLine($"box_cases got10k: {count} cases, worst error {worst:E3}");
    }

    [Fact]
    public void ClippingShiftsABoxThatStartsLeftOfTheImage()
    {
        // README trap 6: x is clipped first, then w against W - x, so the box moves instead of being cropped.
        Assert.Equal(new BoxXywh(0, 10, 20, 20), Got10kBoxMetrics.ClipToImage(new BoxXywh(-10, 10, 20, 20), 320, 240));
    }
}
