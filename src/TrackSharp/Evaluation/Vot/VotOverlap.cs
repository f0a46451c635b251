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
        if (pred.Kind == VotRegionKind.Rectangle && gt.Kind == VotRegionKind.Rectangle
            && RectangleOverlap(pred.Values, gt.Values, bounds) is { } rectangles)
            return rectangles;
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
        if (Window(p1.Bounds(), p2.Bounds(), bounds, out float x, out float y, out int width, out int height) is { } decided)
            return decided;

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

    /// <summary>
    /// The preamble of <c>compute_polygon_overlap</c>: the raster window (origin <paramref name="x"/>,
    /// <paramref name="y"/>, size <paramref name="width"/> x <paramref name="height"/>) from the two regions' bounds,
    /// or the overlap itself (0) when region.c decides it without rasterising.
    /// </summary>
    private static float? Window(RegionBounds bounds1, RegionBounds bounds2, RegionBounds bounds,
        out float x, out float y, out int width, out int height)
    {
        var b1 = Intersect(RoundOutward(bounds1), bounds);
        var b2 = Intersect(RoundOutward(bounds2), bounds);

        x = CSemantics.Min(b1.Left, b2.Left);
        y = CSemantics.Min(b1.Top, b2.Top);
        width = CSemantics.ToInt(CSemantics.Max(b1.Right, b2.Right) - x) + 1;
        height = CSemantics.ToInt(CSemantics.Max(b1.Bottom, b2.Bottom) - y) + 1;

        // region.c's guard against huge windows: a vanishing area ratio means overlap 0 anyway.
        double a1 = (b1.Right - b1.Left) * (b1.Bottom - b1.Top);
        double a2 = (b2.Right - b2.Left) * (b2.Bottom - b2.Top);
        if (a1 / a2 < 1e-10 || a2 / a1 < 1e-10 || width < 1 || height < 1) return 0f;

        // Bounds that only touch (or are disjoint along one axis) give 0 without rasterising, although the inclusive
        // rasteriser would mark a shared column.
        if (BoundsOverlap(b1, b2) == 0) return 0f;
        return null;
    }

    /// <summary>
    /// <see cref="PolygonOverlap"/> for two rectangles without rasterising, the same number bit for bit. A rectangle
    /// <c>x, y, w, h</c> becomes the polygon <c>(x0,y0),(x1,y0),(x1,y1),(x0,y1)</c> (<see cref="RasterPolygon.FromRegion"/>);
    /// once offset and rounded to integer vertices L &lt; R, T &lt; B, the scan-line rasteriser marks, on every row
    /// T..B, the two crossings L and R of the vertical edges and fills L..R inclusive (the horizontal edges give no
    /// crossing), clipped to the window. So each mask is a product of two integer intervals and the pixel counts
    /// follow from interval lengths. Anything else (w or h not positive, non-finite or huge values, a rectangle
    /// that rounds to zero width or height) returns null and takes the general path.
    /// </summary>
    private static float? RectangleOverlap(IReadOnlyList<double> r1, IReadOnlyList<double> r2, RegionBounds bounds)
    {
        if (!RectangleCorners(r1, out float l1, out float t1, out float r1x, out float b1)
            || !RectangleCorners(r2, out float l2, out float t2, out float r2x, out float b2))
            return null;
        // compute_bounds of (x0,y0),(x1,y0),(x1,y1),(x0,y1) with finite x0 < x1, y0 < y1.
        if (Window(new RegionBounds(l1, t1, r1x, b1), new RegionBounds(l2, t2, r2x, b2), bounds,
                out float x, out float y, out int width, out int height) is { } decided)
            return decided;

        // offset_polygon (float additions), round_polygon, then the raster's int truncation of the rounded vertices.
        if (!RasterInterval(l1, r1x, -x, width, out int c1From, out int c1To)
            || !RasterInterval(t1, b1, -y, height, out int w1From, out int w1To)
            || !RasterInterval(l2, r2x, -x, width, out int c2From, out int c2To)
            || !RasterInterval(t2, b2, -y, height, out int w2From, out int w2To))
            return null;

        long a1 = Length(c1From, c1To) * Length(w1From, w1To);
        long a2 = Length(c2From, c2To) * Length(w2From, w2To);
        long both = Length(Math.Max(c1From, c2From), Math.Min(c1To, c2To))
                    * Length(Math.Max(w1From, w2From), Math.Min(w1To, w2To));
        return (float)both / (float)(a1 + a2 - both);
    }

    /// <summary>The float32 corners pysot stores for a rectangle; false unless they are finite with x0 &lt; x1, y0 &lt; y1.</summary>
    private static bool RectangleCorners(IReadOnlyList<double> v, out float left, out float top, out float right, out float bottom)
    {
        left = (float)v[0];
        top = (float)v[1];
        right = (float)(v[0] + v[2]);
        bottom = (float)(v[1] + v[3]);
        return float.IsFinite(left) && float.IsFinite(top) && float.IsFinite(right) && float.IsFinite(bottom)
               && left < right && top < bottom;
    }

    /// <summary>
    /// The pixels [from, to] one axis of a rasterised rectangle covers inside a window of <paramref name="size"/>
    /// pixels (from &gt; to: none), given its two float32 edge coordinates and the window offset. False when the
    /// rounded edges coincide or leave the range where the raster's int conversion is exact.
    /// </summary>
    private static bool RasterInterval(float low, float high, float offset, int size, out int from, out int to)
    {
        from = 0;
        to = -1;
        float lowShifted = low + offset, highShifted = high + offset;
        double lo = CSemantics.Round(lowShifted), hi = CSemantics.Round(highShifted);
        const double limit = 1 << 30;
        if (!(lo < hi) || lo < -limit || hi > limit) return false;
        int l = (int)(float)lo, h = (int)(float)hi;
        // FillRow: nothing when the left crossing lies beyond the window or the right one before it.
        if (l >= size || h < 0) return true;
        from = Math.Max(l, 0);
        to = Math.Min(h, size - 1);
        return true;
    }

    private static long Length(int from, int to) => to >= from ? to - from + 1L : 0L;

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
