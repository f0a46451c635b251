namespace TrackSharp.Evaluation.Vot;

/// <summary>EAO of one tracker: the score, the float32 expected-overlap curve and the fragments it came from.</summary>
/// <param name="Eao">Expected average overlap over the dataset's window.</param>
/// <param name="ExpectedOverlaps">Φ[0 .. max_len-1], float32 as pysot stores it.</param>
/// <param name="Fragments">[fragment][max_len] overlaps (pysot's <c>fragments</c>; unused rows stay NaN).</param>
/// <param name="FragmentWeights">pysot's <c>fweights</c> (NaN for unused rows).</param>
public sealed record EaoResult(double Eao, float[] ExpectedOverlaps, IReadOnlyList<double[]> Fragments, double[] FragmentWeights);

/// <summary>
/// pysot <c>toolkit/evaluation/eao_benchmark.py EAOBenchmark._calculate_eao</c> (skipping 5): overlaps without
/// burn-in and with bounds (W-1, H-1); every trajectory cut into fragments at failure + 5; Φ from
/// <see cref="ExpectedOverlap.Calculate"/>; EAO = mean of the non-NaN Φ[Low-1 .. High-1].
/// </summary>
public static class EaoBenchmark
{
    /// <summary>Frames between a failure and the re-initialisation (pysot <c>skipping=5</c>).</summary>
    public const int Skipping = 5;

    public static EaoResult Evaluate(IReadOnlyList<VotTrackerRun> runs, EaoWindow window, string tag = VotSequence.AllTag)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(window);
        var (fragments, weights) = BuildFragments(runs, tag);
        var expected = ExpectedOverlap.Calculate(fragments, weights);
        return new EaoResult(Average(expected, window), expected, fragments, weights);
    }

    /// <summary>
    /// The fragment matrix of <c>_calculate_eao</c>. With failures: boundaries 0 and every failure + 5 that is
    /// &lt;= the trajectory length; fragment i = overlaps[p_i .. p_{i+1}] (the re-init frame included) zero-padded,
    /// the last one overlaps[p_last ..] NaN-padded, NaN -> 0 inside; weight = tag fraction / (repetitions + 1e-10).
    /// Without failures: the overlaps as they are (NaN at the init frame kept), NaN-padded.
    /// </summary>
    public static (List<double[]> Fragments, double[] Weights) BuildFragments(IReadOnlyList<VotTrackerRun> runs, string tag = VotSequence.AllTag)
    {
        var trajectories = new List<(VotSequence Sequence, int[] Failures, double[] Overlaps)>();
        foreach (var run in runs)
        {
            var seq = run.Sequence;
            var bounds = RegionBounds.FromSize(seq.Width - 1, seq.Height - 1);
            foreach (var trajectory in run.Repetitions)
            {
                var overlaps = VotStatistics.CalculateAccuracy(trajectory, seq.GroundTruth, 0, bounds).Overlaps;
                trajectories.Add((seq, VotStatistics.CalculateFailures(trajectory), overlaps));
            }
        }
        int fragmentCount = trajectories.Sum(t => t.Failures.Length + 1);
        int maxLen = trajectories.Count == 0 ? 0 : trajectories.Max(t => t.Overlaps.Length);
        // pysot takes the repetition count of the last video it loaded.
        int repetitions = runs.Count == 0 ? 0 : runs[^1].Repetitions.Count;
        double seqWeight = 1 / (repetitions + 1e-10);

        var fragments = new List<double[]>(fragmentCount);
        for (int f = 0; f < fragmentCount; f++) fragments.Add(Enumerable.Repeat(double.NaN, maxLen).ToArray());
        var weights = Enumerable.Repeat(double.NaN, fragmentCount).ToArray();

        int seg = 0;
        foreach (var (seq, failures, overlaps) in trajectories)
        {
            int trajLen = seq.GroundTruth.Count;
            if (failures.Length > 0)
            {
                var points = new List<int> { 0 };
                points.AddRange(failures.Select(f => f + Skipping).Where(p => p <= overlaps.Length));
                for (int i = 0; i < points.Count; i++)
                {
                    bool last = i == points.Count - 1;
                    int start = points[i];
                    int end = last ? overlaps.Length : Math.Min(points[i + 1] + 1, overlaps.Length);
                    var row = fragments[seg];
                    if (!last) Array.Fill(row, 0.0);
                    for (int k = start; k < end; k++) row[k - start] = double.IsNaN(overlaps[k]) ? 0.0 : overlaps[k];

                    double w = last
                        ? SumOf(seq.SelectTag(tag, start, overlaps.Length)) / (trajLen - start + 1e-16)
                        : (double)SumOf(seq.SelectTag(tag, start, points[i + 1] + 1)) / (points[i + 1] - start + 1);
                    weights[seg] = seqWeight * w;
                    seg++;
                }
            }
            else
            {
                int maxIdx = Math.Min(overlaps.Length, maxLen);
                Array.Copy(overlaps, fragments[seg], maxIdx);
                weights[seg] = seqWeight * ((double)SumOf(seq.SelectTag(tag, 0, maxIdx)) / maxIdx);
                seg++;
            }
        }
        return (fragments, weights);
    }

    /// <summary>EAO from the curve: the mean of its non-NaN entries at 0-based indices [Low-1, High-1] that exist.</summary>
    public static double Average(float[] expectedOverlaps, EaoWindow window)
    {
        // pysot: np.sum(eo[valid] * weight[valid]) / np.sum(weight[valid]) with weight 1 inside the window, 0 outside.
        var products = new List<double>();
        var windowWeights = new List<double>();
        for (int i = 0; i < expectedOverlaps.Length; i++)
        {
            if (float.IsNaN(expectedOverlaps[i])) continue;
            double weight = i >= window.Low - 1 && i <= window.High - 1 ? 1.0 : 0.0;
            products.Add(expectedOverlaps[i] * weight);
            windowWeights.Add(weight);
        }
        return NumpyReductions.Sum(products.ToArray()) / NumpyReductions.Sum(windowWeights.ToArray());
    }

    private static int SumOf(ReadOnlySpan<int> values)
    {
        int sum = 0;
        foreach (var v in values) sum += v;
        return sum;
    }
}
