namespace TrackSharp.Evaluation;

/// <summary>
/// The counts behind every success/precision curve, <c>(values &gt; t).sum()</c> and <c>(values &lt;= t).sum()</c>
/// for each threshold t of a grid, in one pass over the values instead of one per threshold. The result is the same
/// integers: for ascending thresholds, <c>v &gt; t[i]</c> holds exactly for i below the first index whose threshold is
/// &gt;= v, and <c>v &lt;= t[i]</c> exactly from that index on; a NaN value passes no test. A grid that is not strictly
/// ascending (or holds NaN) is counted threshold by threshold.
/// </summary>
internal static class ThresholdCounts
{
    /// <summary>For each threshold, how many values are strictly greater (NaN never is).</summary>
    public static int[] Greater(ReadOnlySpan<double> values, IReadOnlyList<double> thresholds)
    {
        var counts = new int[thresholds.Count];
        if (!IsAscending(thresholds))
        {
            for (int i = 0; i < counts.Length; i++)
            {
                double t = thresholds[i];
                int c = 0;
                foreach (double v in values) if (v > t) c++;
                counts[i] = c;
            }
            return counts;
        }
        var histogram = Histogram(values, thresholds);
        // counts[i] = values whose first threshold >= v lies above i.
        int above = 0;
        for (int i = counts.Length - 1; i >= 0; i--)
        {
            above += histogram[i + 1];
            counts[i] = above;
        }
        return counts;
    }

    /// <summary>For each threshold, how many values are less than or equal (NaN never is).</summary>
    public static int[] AtMost(ReadOnlySpan<double> values, IReadOnlyList<double> thresholds)
    {
        var counts = new int[thresholds.Count];
        if (!IsAscending(thresholds))
        {
            for (int i = 0; i < counts.Length; i++)
            {
                double t = thresholds[i];
                int c = 0;
                foreach (double v in values) if (v <= t) c++;
                counts[i] = c;
            }
            return counts;
        }
        var histogram = Histogram(values, thresholds);
        int below = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            below += histogram[i];
            counts[i] = below;
        }
        return counts;
    }

    /// <summary>
    /// histogram[k] = number of non-NaN values whose first threshold &gt;= v has index k (k = count: none).
    /// </summary>
    private static int[] Histogram(ReadOnlySpan<double> values, IReadOnlyList<double> thresholds)
    {
        int n = thresholds.Count;
        Span<double> grid = n <= 256 ? stackalloc double[n] : new double[n];
        for (int i = 0; i < n; i++) grid[i] = thresholds[i];
        var histogram = new int[n + 1];
        foreach (double v in values)
        {
            if (double.IsNaN(v)) continue;
            int lo = 0, hi = n; // first index with grid[index] >= v lies in [lo, hi]
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (grid[mid] >= v) hi = mid;
                else lo = mid + 1;
            }
            histogram[lo]++;
        }
        return histogram;
    }

    private static bool IsAscending(IReadOnlyList<double> thresholds)
    {
        for (int i = 0; i < thresholds.Count; i++)
        {
            if (double.IsNaN(thresholds[i])) return false;
            if (i > 0 && !(thresholds[i - 1] < thresholds[i])) return false;
        }
        return true;
    }
}
