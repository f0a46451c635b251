namespace TrackSharp.Evaluation;

/// <summary>
/// Float64 reductions in the order numpy performs them, so that means over thousands of frames agree with the
/// Python toolkits to the last bit rather than to 1e-15: <c>np.add.reduce</c> over a contiguous 1-D array uses
/// pairwise summation (blocks of 128, eight partial sums) starting from the identity 0, while a reduction over
/// axis 0 of a 2-D array adds the rows in order. The last bits matter: they can flip a float32 rounding of
/// pysot's expected-overlap curve.
/// </summary>
internal static class NumpyReductions
{
    private const int BlockSize = 128;

    /// <summary>numpy's <c>pairwise_sum</c> of a contiguous float64 vector.</summary>
    public static double PairwiseSum(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        if (n < 8)
        {
            double sum = 0.0;
            for (int i = 0; i < n; i++) sum += values[i];
            return sum;
        }
        if (n <= BlockSize)
        {
            Span<double> r = stackalloc double[8];
            for (int j = 0; j < 8; j++) r[j] = values[j];
            int i;
            for (i = 8; i < n - n % 8; i += 8)
                for (int j = 0; j < 8; j++) r[j] += values[i + j];
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += values[i];
            return res;
        }
        int half = n / 2;
        half -= half % 8;
        return PairwiseSum(values[..half]) + PairwiseSum(values[half..]);
    }

    /// <summary><c>np.sum</c> of a 1-D float64 array: the identity 0 plus the pairwise sum.</summary>
    public static double Sum(ReadOnlySpan<double> values) => 0.0 + PairwiseSum(values);

    /// <summary><c>np.mean</c> of a vector: pairwise sum divided by the count (NaN for an empty vector).</summary>
    public static double Mean(ReadOnlySpan<double> values) => PairwiseSum(values) / values.Length;

    /// <summary><c>np.nanmean</c> of a 1-D array: NaN entries count as 0 and are left out of the count (0/0 = NaN).</summary>
    public static double NanMean(ReadOnlySpan<double> values)
    {
        var filled = new double[values.Length];
        int count = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i])) continue;
            filled[i] = values[i];
            count++;
        }
        return Sum(filled) / count;
    }

    /// <summary><c>np.mean(rows, axis=0)</c>: rows added one after the other, then divided by the row count.</summary>
    public static double[] MeanOfRows(IReadOnlyList<double[]> rows, int width)
    {
        var sum = new double[width];
        foreach (var row in rows)
            for (int j = 0; j < width; j++) sum[j] += row[j];
        for (int j = 0; j < width; j++) sum[j] /= rows.Count;
        return sum;
    }
}
