namespace TrackSharp.Evaluation.Vot;

/// <summary>pysot <c>statistics.calculate_expected_overlap(fragments, fweights)</c>: the expected-overlap curve Φ(L).</summary>
public static class ExpectedOverlap
{
    /// <summary>
    /// Φ[0] = 1; for L >= 1, over the fragments defined (non-NaN) at index L, the weighted mean of
    /// mean(fragment[1..L]); stored as float32 like pysot's <c>np.zeros(max_len, np.float32)</c>, so a length no
    /// fragment reaches stays 0.
    /// </summary>
    public static float[] Calculate(IReadOnlyList<double[]> fragments, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        if (fragments.Count != weights.Count) throw new ArgumentException("One weight per fragment is needed.");
        int maxLen = fragments.Count == 0 ? 0 : fragments[0].Length;
        var expected = new float[maxLen];
        if (maxLen == 0) return expected;
        expected[0] = 1f;
        var means = new List<double>();
        var used = new List<double>();
        for (int i = 1; i < maxLen; i++)
        {
            means.Clear();
            used.Clear();
            for (int f = 0; f < fragments.Count; f++)
            {
                if (double.IsNaN(fragments[f][i])) continue;
                means.Add(NumpyReductions.Sum(fragments[f].AsSpan(1, i)) / i);
                used.Add(weights[f]);
            }
            if (means.Count == 0) continue;
            var weighted = new double[means.Count];
            for (int k = 0; k < means.Count; k++) weighted[k] = means[k] * used[k];
            expected[i] = (float)(NumpyReductions.Sum(weighted) / NumpyReductions.Sum(used.ToArray()));
        }
        return expected;
    }
}
