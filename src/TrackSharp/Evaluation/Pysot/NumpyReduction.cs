namespace TrackSharp.Evaluation.Pysot;

/// <summary>
/// The summation orders numpy uses, so that means over curves reproduce pysot's float64 numbers to the last bit
/// rather than merely to 1e-15: a 1-D contiguous reduction is numpy's <c>pairwise_sum</c> (8 interleaved
/// accumulators, blocks of 128); a reduction over the first axis of a 2-D array adds rows one after another.
/// </summary>
internal static class NumpyReduction
{
    private const int PairwiseBlockSize = 128;

    /// <summary><c>np.mean(values)</c> of a contiguous 1-D (or flattened C-order) array.</summary>
    public static double Mean(ReadOnlySpan<double> values) => PairwiseSum(values) / values.Length;

    /// <summary><c>np.mean(rows, axis=0)</c>: the rows are added in order, then divided by their count.</summary>
    public static double[] MeanOverRows(IReadOnlyList<double[]> rows)
    {
        var sum = (double[])rows[0].Clone();
        for (int r = 1; r < rows.Count; r++)
            for (int j = 0; j < sum.Length; j++)
                sum[j] += rows[r][j];
        for (int j = 0; j < sum.Length; j++)
            sum[j] /= rows.Count;
        return sum;
    }

    /// <summary>numpy's <c>DOUBLE_pairwise_sum</c> (umath loops): blocked, 8 partial sums, recursive halves.</summary>
    public static double PairwiseSum(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0;
            for (int i = 0; i < n; i++) res += a[i];
            return res;
        }
        if (n <= PairwiseBlockSize)
        {
            Span<double> r = stackalloc double[8];
            for (int j = 0; j < 8; j++) r[j] = a[j];
            int i = 8;
            for (; i < n - n % 8; i += 8)
                for (int j = 0; j < 8; j++) r[j] += a[i + j];
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[i];
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return PairwiseSum(a[..n2]) + PairwiseSum(a[n2..]);
    }
}
