namespace TrackSharp.Evaluation.Pytracking;

/// <summary>
/// The float32 reductions pytracking's <c>plot_results</c> runs on CPU torch tensors, in torch's summation
/// order (SumKernel <c>cascade_sum</c>, float accumulator), so overall scores match bit for bit instead of to
/// ~1e-5 on the percent scale. <c>mean</c> on CPU is a sum followed by a float32 division.
/// </summary>
internal static class TorchFloat32
{
    /// <summary>SIMD width in floats of the vectorised inner sum (AVX2: 8).</summary>
    public const int VectorWidth = 8;

    /// <summary>
    /// <c>t.mean(0)</c> of a [rows, columns] float32 tensor (one tracker's [sequences, thresholds] curves).
    /// SumKernel's <c>vectorized_outer_sum</c> adds whole groups of 4 x 8 columns row by row
    /// (<c>multi_row_sum</c>); the remaining columns go through <c>row_sum</c>, which keeps 4 interleaved
    /// partial sums (ILP factor 4). Verified bit-exact on every golden pytracking/OSTrack curve.
    /// </summary>
    public static float[] MeanOverRows(IReadOnlyList<float[]> rows)
    {
        int m = rows[0].Length;
        int sequentialColumns = m / (4 * VectorWidth) * (4 * VectorWidth);
        var mean = new float[m];
        var column = new float[rows.Count];
        for (int j = 0; j < m; j++)
        {
            for (int r = 0; r < rows.Count; r++) column[r] = rows[r][j];
            float sum = j < sequentialColumns ? SequentialSum(column) : RowSum(column);
            mean[j] = sum / rows.Count;
        }
        return mean;
    }

    /// <summary>SumKernel <c>row_sum</c>: partial sums k = 0..3 over elements 4i + k, the tail added to
    /// partial 0, then partials 1..3 added to partial 0 in order.</summary>
    private static float RowSum(IReadOnlyList<float> v)
    {
        const int ilp = 4;
        int blocks = v.Count / ilp;
        Span<float> partial = stackalloc float[ilp];
        partial.Clear();
        for (int i = 0; i < blocks; i++)
            for (int k = 0; k < ilp; k++) partial[k] += v[i * ilp + k];
        for (int i = blocks * ilp; i < v.Count; i++) partial[0] += v[i];
        for (int k = 1; k < ilp; k++) partial[0] += partial[k];
        return partial[0];
    }

    private static float SequentialSum(IReadOnlyList<float> v)
    {
        float s = 0;
        for (int i = 0; i < v.Count; i++) s += v[i];
        return s;
    }

    /// <summary>
    /// <c>t.mean(-1)</c> of a contiguous float32 vector: lane sums over whole SIMD chunks, the tail summed
    /// separately, then the lanes added to the tail in lane order, divided by the length.
    /// </summary>
    public static float MeanContiguous(IReadOnlyList<float> x) => SumContiguous(x) / x.Count;

    public static float SumContiguous(IReadOnlyList<float> x)
    {
        int n = x.Count;
        if (n < VectorWidth)
        {
            float s = 0;
            for (int i = 0; i < n; i++) s += x[i];
            return s;
        }
        // vectorized_inner_sum: each lane is row_sum over the whole SIMD chunks.
        int chunks = n / VectorWidth;
        var lanes = new float[VectorWidth];
        var laneValues = new float[chunks];
        for (int l = 0; l < VectorWidth; l++)
        {
            for (int c = 0; c < chunks; c++) laneValues[c] = x[c * VectorWidth + l];
            lanes[l] = RowSum(laneValues);
        }
        float total = 0;
        for (int i = chunks * VectorWidth; i < n; i++) total += x[i];
        for (int l = 0; l < VectorWidth; l++) total += lanes[l];
        return total;
    }
}
