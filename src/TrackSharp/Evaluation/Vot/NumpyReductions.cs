namespace TrackSharp.Evaluation.Vot;

/// <summary>
/// The float64 reductions pysot's VOT code gets from numpy, with numpy's summation order: <c>np.sum</c> over a
/// contiguous axis is a pairwise sum (8 accumulators, blocks of 128), which differs from a running sum in the last
/// bits — enough to flip a float32 rounding of the expected-overlap curve now and then.
/// </summary>
internal static class NumpyReductions
{
    private const int PairwiseBlock = 128;

    /// <summary><c>np.sum</c> of a 1-D float64 array (identity 0 plus numpy's <c>pairwise_sum</c>).</summary>
    public static double Sum(ReadOnlySpan<double> a) => 0.0 + PairwiseSum(a);

    /// <summary><c>np.nanmean</c> of a 1-D array: NaN entries replaced by 0 and left out of the count (0/0 = NaN).</summary>
    public static double NanMean(ReadOnlySpan<double> a)
    {
        var filled = new double[a.Length];
        int count = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(a[i])) continue;
            filled[i] = a[i];
            count++;
        }
        return Sum(filled) / count;
    }

    /// <summary>numpy <c>@TYPE@_pairwise_sum</c> (loops_utils.h.src).</summary>
    private static double PairwiseSum(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0.0;
            for (int i = 0; i < n; i++) res += a[i];
            return res;
        }
        if (n <= PairwiseBlock)
        {
            Span<double> r = stackalloc double[8];
            a[..8].CopyTo(r);
            int i = 8;
            for (; i < n - n % 8; i += 8)
                for (int k = 0; k < 8; k++) r[k] += a[i + k];
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[i];
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return PairwiseSum(a[..n2]) + PairwiseSum(a[n2..]);
    }
}
