namespace TrackSharp.Evaluation.Vot;

/// <summary>
/// pysot's VOT region overlap, <c>toolkit/utils/region.pyx vot_overlap(pred, gt, bounds)</c> over
/// <c>src/region.c compute_polygon_overlap</c>: both regions rasterised on the integer pixel grid (vertices rounded
/// half away from zero, end pixels included) inside their outward-rounded bounds clipped to <c>bounds</c>, and
/// IoU = |A∩B| / |A∪B| in float32. A special code on either side gives NaN.
/// </summary>
public static class VotOverlap
{
    /// <summary>pysot <c>vot_overlap(pred, gt, bounds)</c>; the result is symmetric in the two regions.</summary>
    public static float Compute(VotRegion pred, VotRegion gt, RegionBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(pred);
        ArgumentNullException.ThrowIfNull(gt);
        if (pred.IsSpecial || gt.IsSpecial) return float.NaN;
        return PolygonOverlap(RasterPolygon.FromRegion(pred), RasterPolygon.FromRegion(gt), bounds);
    }

    /// <summary>pysot <c>vot_overlap</c> with <c>bounds=(width, height)</c>.</summary>
    public static float Compute(VotRegion pred, VotRegion gt, double width, double height) =>
        Compute(pred, gt, RegionBounds.FromSize(width, height));

    /// <summary>pysot <c>vot_overlap_traj</c>: the overlap of each pair up to the shorter trajectory, widened to double.</summary>
    public static double[] Trajectory(IReadOnlyList<VotRegion> pred, IReadOnlyList<VotRegion> gt, RegionBounds bounds)
    {
        int n = Math.Min(pred.Count, gt.Count);
        var overlaps = new double[n];
        for (int i = 0; i < n; i++) overlaps[i] = Compute(pred[i], gt[i], bounds);
        return overlaps;
    }

    /// <summary>region.c <c>compute_polygon_overlap</c> (non-legacy branch), float32 arithmetic as in C.</summary>
    internal static float PolygonOverlap(RasterPolygon p1, RasterPolygon p2, RegionBounds bounds)
    {
        var b1 = Intersect(RoundOutward(p1.Bounds()), bounds);
        var b2 = Intersect(RoundOutward(p2.Bounds()), bounds);

        float x = CSemantics.Min(b1.Left, b2.Left);
        float y = CSemantics.Min(b1.Top, b2.Top);
        int width = CSemantics.ToInt(CSemantics.Max(b1.Right, b2.Right) - x) + 1;
        int height = CSemantics.ToInt(CSemantics.Max(b1.Bottom, b2.Bottom) - y) + 1;

        // region.c's guard against huge windows: a vanishing area ratio means overlap 0 anyway.
        double a1 = (b1.Right - b1.Left) * (b1.Bottom - b1.Top);
        double a2 = (b2.Right - b2.Left) * (b2.Bottom - b2.Top);
        if (a1 / a2 < 1e-10 || a2 / a1 < 1e-10 || width < 1 || height < 1) return 0f;

        // Bounds that only touch (or are disjoint along one axis) give 0 without rasterising, although the inclusive
        // rasteriser would mark a shared column.
        if (BoundsOverlap(b1, b2) == 0) return 0f;

        var op1 = p1.Offset(-x, -y).Rounded();
        var op2 = p2.Offset(-x, -y).Rounded();

        // Row by row instead of two full masks: the same pixels, O(width) memory.
        var row1 = new bool[width];
        var row2 = new bool[width];
        var nodes = new int[Math.Max(op1.Count, op2.Count)];
        long only1 = 0, only2 = 0, both = 0;
        for (int py = 0; py < height; py++)
        {
            Array.Clear(row1);
            Array.Clear(row2);
            op1.FillRow(py, row1, nodes);
            op2.FillRow(py, row2, nodes);
            for (int px = 0; px < width; px++)
            {
                if (row1[px] && row2[px]) both++;
                else if (row1[px]) only1++;
                else if (row2[px]) only2++;
            }
        }
        return (float)both / (float)(only1 + only2 + both);
    }

    /// <summary>region.c <c>bounds_round</c>: floor the top/left, ceil the bottom/right.</summary>
    private static RegionBounds RoundOutward(RegionBounds b) =>
        new((float)Math.Floor(b.Left), (float)Math.Floor(b.Top), (float)Math.Ceiling(b.Right), (float)Math.Ceiling(b.Bottom));

    /// <summary>region.c <c>bounds_intersection(a, b)</c>, argument order kept for the NaN behaviour of MIN/MAX.</summary>
    private static RegionBounds Intersect(RegionBounds a, RegionBounds b) => new(
        CSemantics.Max(a.Left, b.Left), CSemantics.Max(a.Top, b.Top),
        CSemantics.Min(a.Right, b.Right), CSemantics.Min(a.Bottom, b.Bottom));

    /// <summary>region.c <c>bounds_overlap</c>: continuous IoU of the two bounding boxes, float32.</summary>
    private static float BoundsOverlap(RegionBounds a, RegionBounds b)
    {
        var r = Intersect(a, b);
        float intersection = (r.Right - r.Left) * (r.Bottom - r.Top);
        float union = (a.Right - a.Left) * (a.Bottom - a.Top) + (b.Right - b.Left) * (b.Bottom - b.Top) - intersection;
        return CSemantics.Max(0f, intersection / union);
    }
}
