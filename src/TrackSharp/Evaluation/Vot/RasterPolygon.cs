namespace TrackSharp.Evaluation.Vot;

/// <summary>
/// A polygon with float32 vertices (region.c <c>region_polygon</c>) and the pieces of region.c that operate on one
/// polygon: bounds, offset, and the non-legacy scan-line rasterisation (the legacy flag is never set by pysot).
/// </summary>
internal sealed class RasterPolygon
{
    public RasterPolygon(float[] x, float[] y)
    {
        X = x;
        Y = y;
    }

    public float[] X { get; }
    public float[] Y { get; }
    public int Count => X.Length;

    /// <summary>
    /// pysot <c>region.pyx vot_overlap</c>: a rectangle becomes <c>(x,y),(x+w,y),(x+w,y+h),(x,y+h)</c>, the sums taken
    /// in double (Python) and then stored as C float; a polygon's values are stored as C float.
    /// Note this is the corner form, not region.c's own rectangle conversion (which uses <c>x + w - 1</c>).
    /// </summary>
    public static RasterPolygon FromRegion(VotRegion region)
    {
        var v = region.Values;
        if (region.Kind == VotRegionKind.Rectangle)
        {
            double x0 = v[0], y0 = v[1], x1 = v[0] + v[2], y1 = v[1] + v[3];
            return new RasterPolygon(
                [(float)x0, (float)x1, (float)x1, (float)x0],
                [(float)y0, (float)y0, (float)y1, (float)y1]);
        }
        if (region.Kind != VotRegionKind.Polygon)
            throw new ArgumentException("A special code has no polygon.", nameof(region));
        int n = v.Count / 2;
        var xs = new float[n];
        var ys = new float[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = (float)v[2 * i];
            ys[i] = (float)v[2 * i + 1];
        }
        return new RasterPolygon(xs, ys);
    }

    /// <summary>region.c <c>compute_bounds</c>: min/max with the C macros (NaN handling included).</summary>
    public RegionBounds Bounds()
    {
        float top = float.MaxValue, bottom = -float.MaxValue, left = float.MaxValue, right = -float.MaxValue;
        for (int i = 0; i < Count; i++)
        {
            top = CSemantics.Min(top, Y[i]);
            bottom = CSemantics.Max(bottom, Y[i]);
            left = CSemantics.Min(left, X[i]);
            right = CSemantics.Max(right, X[i]);
        }
        return new RegionBounds(left, top, right, bottom);
    }

    /// <summary>region.c <c>offset_polygon</c> (float additions).</summary>
    public RasterPolygon Offset(float dx, float dy)
    {
        var xs = new float[Count];
        var ys = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            xs[i] = X[i] + dx;
            ys[i] = Y[i] + dy;
        }
        return new RasterPolygon(xs, ys);
    }

    /// <summary>region.c <c>round_polygon</c>: every vertex coordinate rounded half away from zero (kept as float).</summary>
    public RasterPolygon Rounded()
    {
        var xs = new float[Count];
        var ys = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            xs[i] = (float)CSemantics.Round(X[i]);
            ys[i] = (float)CSemantics.Round(Y[i]);
        }
        return new RasterPolygon(xs, ys);
    }

    /// <summary>
    /// Marks row <paramref name="pixelY"/> of the mask as region.c's non-legacy <c>rasterize_polygon</c> does; this
    /// polygon must already be rounded (<see cref="Rounded"/>). Crossings are taken where an edge spans the row
    /// (inclusive at either end, or lying on it), each truncated to an int column; after sorting, equal neighbours
    /// drop the first one, and the pixels between each remaining pair are set <b>including</b> both end columns —
    /// which is why a w x h box covers (w+1)(h+1) pixels.
    /// </summary>
    public void FillRow(int pixelY, Span<bool> row, Span<int> nodeBuffer)
    {
        int width = row.Length;
        int nodes = 0;
        int j = Count - 1;
        for (int i = 0; i < Count; i++)
        {
            int yi = CSemantics.ToInt(Y[i]), yj = CSemantics.ToInt(Y[j]);
            bool spans = (yi <= pixelY && yj > pixelY) || (yj <= pixelY && yi > pixelY)
                         || (yi < pixelY && yj >= pixelY) || (yj < pixelY && yi >= pixelY)
                         || (yi == yj && yi == pixelY);
            if (spans)
            {
                // C: double r = (float)(y[j] - y[i]); the row offset (pixelY - y[i]) is an int-float difference in float.
                double r = Y[j] - Y[i];
                double k = X[j] - X[i];
                if (r != 0)
                    nodeBuffer[nodes++] = CSemantics.ToInt(X[i] + (double)(pixelY - Y[i]) / r * k);
            }
            j = i;
        }
        var nodeX = nodeBuffer[..nodes];
        nodeX.Sort();

        int n = 0;
        while (n < nodes - 1)
        {
            // A vertex on the row yields the same crossing twice: region.c ignores the first of the two.
            if (nodeX[n] == nodeX[n + 1])
            {
                n++;
                continue;
            }
            if (nodeX[n] >= width) break;
            if (nodeX[n + 1] >= 0)
            {
                int from = Math.Max(nodeX[n], 0);
                int to = nodeX[n + 1] >= width ? width - 1 : nodeX[n + 1];
                row[from..(to + 1)].Fill(true);
            }
            n += 2;
        }
    }
}
