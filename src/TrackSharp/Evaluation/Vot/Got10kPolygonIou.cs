namespace TrackSharp.Evaluation.Vot;

/// <summary>
/// The GOT-10k toolkit's VOT overlap, <c>got10k/utils/metrics.py poly_iou(polys1, polys2, bound)</c>: exact
/// (continuous) polygon areas as shapely computes them. Regions are <c>[x, y, w, h]</c> (shapely <c>box</c>) or 8-value
/// quadrilaterals; with a bound both are first intersected with <c>box(0, 0, W, H)</c>; IoU = inter / (union + eps),
/// clipped to [0, 1]. Special codes are not regions here (the toolkit's <c>_to_polygon</c> asserts 4 or 8 values).
/// </summary>
public static class Got10kPolygonIou
{
    /// <summary><c>np.finfo(float).eps</c>, added to the union as the toolkit does.</summary>
    private const double Eps = 2.220446049250313e-16;

    /// <summary>poly_iou of one pair; <paramref name="boundWidth"/>/<paramref name="boundHeight"/> null = no bound.</summary>
    public static double Compute(VotRegion pred, VotRegion gt, double? boundWidth = null, double? boundHeight = null)
    {
        ArgumentNullException.ThrowIfNull(pred);
        ArgumentNullException.ThrowIfNull(gt);
        var p1 = ToPolygon(pred);
        var p2 = ToPolygon(gt);
        if (boundWidth is double w && boundHeight is double h)
        {
            var bound = Box(0, 0, w, h);
            p1 = ClipConvex(p1, bound);
            p2 = ClipConvex(p2, bound);
        }
        // Sutherland–Hodgman is exact when the clip polygon is convex; the subject may be anything.
        double inter;
        if (IsConvex(p2)) inter = Area(ClipConvex(p1, p2));
        else if (IsConvex(p1)) inter = Area(ClipConvex(p2, p1));
        else throw new NotSupportedException("poly_iou of two non-convex polygons is not implemented.");

        // shapely's union area of two valid polygons = |A| + |B| - |A∩B|.
        double union = Area(p1) + Area(p2) - inter;
        return Math.Clamp(inter / (union + Eps), 0.0, 1.0);
    }

    /// <summary>got10k <c>_to_polygon</c>: 4 values -> <c>box(x, y, x + w, y + h)</c>, 8 values -> the quadrilateral.</summary>
    private static List<(double X, double Y)> ToPolygon(VotRegion region)
    {
        var v = region.Values;
        return region.Kind switch
        {
            VotRegionKind.Rectangle => Box(v[0], v[1], v[0] + v[2], v[1] + v[3]),
            VotRegionKind.Polygon when v.Count == 8 => [(v[0], v[1]), (v[2], v[3]), (v[4], v[5]), (v[6], v[7])],
            _ => throw new ArgumentException($"poly_iou takes 4 or 8 values, not {v.Count}.", nameof(region)),
        };
    }

    /// <summary>shapely <c>box(minx, miny, maxx, maxy)</c> vertex order (a reversed box is the same area, mirrored).</summary>
    private static List<(double X, double Y)> Box(double x0, double y0, double x1, double y1) =>
        [(x1, y0), (x1, y1), (x0, y1), (x0, y0)];

    private static double SignedArea(IReadOnlyList<(double X, double Y)> p)
    {
        double s = 0;
        for (int i = 0, j = p.Count - 1; i < p.Count; j = i++) s += p[j].X * p[i].Y - p[i].X * p[j].Y;
        return s / 2;
    }

    private static double Area(IReadOnlyList<(double X, double Y)> p) => p.Count < 3 ? 0 : Math.Abs(SignedArea(p));

    /// <summary>Convex (any orientation, collinear vertices allowed) and not self-intersecting for a quadrilateral.</summary>
    private static bool IsConvex(IReadOnlyList<(double X, double Y)> p)
    {
        int sign = 0;
        for (int i = 0; i < p.Count; i++)
        {
            var a = p[i];
            var b = p[(i + 1) % p.Count];
            var c = p[(i + 2) % p.Count];
            double cross = (b.X - a.X) * (c.Y - b.Y) - (b.Y - a.Y) * (c.X - b.X);
            if (cross == 0) continue;
            int s = Math.Sign(cross);
            if (sign != 0 && s != sign) return false;
            sign = s;
        }
        return true;
    }

    /// <summary>Sutherland–Hodgman: <paramref name="subject"/> clipped by the convex <paramref name="clip"/>.</summary>
    private static List<(double X, double Y)> ClipConvex(List<(double X, double Y)> subject, List<(double X, double Y)> clip)
    {
        double orientation = SignedArea(clip);
        if (orientation == 0 || subject.Count == 0) return [];
        var output = subject;
        for (int e = 0; e < clip.Count && output.Count > 0; e++)
        {
            var a = clip[e];
            var b = clip[(e + 1) % clip.Count];
            // Inside = on the same side of edge a->b as the clip polygon's interior.
            double Side((double X, double Y) p) => ((b.X - a.X) * (p.Y - a.Y) - (b.Y - a.Y) * (p.X - a.X)) * Math.Sign(orientation);
            var input = output;
            output = new List<(double X, double Y)>(input.Count + 2);
            for (int i = 0; i < input.Count; i++)
            {
                var cur = input[i];
                var prev = input[(i + input.Count - 1) % input.Count];
                double sc = Side(cur), sp = Side(prev);
                if (sc >= 0)
                {
                    if (sp < 0) output.Add(Crossing(prev, cur, sp, sc));
                    output.Add(cur);
                }
                else if (sp >= 0)
                {
                    output.Add(Crossing(prev, cur, sp, sc));
                }
            }
        }
        return output;
    }

    private static (double X, double Y) Crossing((double X, double Y) p, (double X, double Y) q, double sp, double sq)
    {
        double t = sp / (sp - sq);
        return (p.X + t * (q.X - p.X), p.Y + t * (q.Y - p.Y));
    }
}
