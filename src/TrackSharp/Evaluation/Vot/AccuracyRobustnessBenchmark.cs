namespace TrackSharp.Evaluation.Vot;

/// <summary>Accuracy/robustness of one sequence (the per-video numbers pysot's <c>show_result</c> works from).</summary>
/// <param name="Name">Sequence name.</param>
/// <param name="Overlaps">Per frame, the <c>nanmean</c> over repetitions of the burn-in overlaps (NaN = not counted).</param>
/// <param name="FailuresPerRepetition">Failure count (code 2 frames) of each repetition.</param>
/// <param name="Accuracy"><c>nanmean</c> of <paramref name="Overlaps"/>.</param>
/// <param name="LostNumber">Mean over repetitions of the failure count.</param>
/// <param name="FramesInAccuracy">Frames with a finite overlap.</param>
public sealed record AccuracyRobustnessSequence(
    string Name, double[] Overlaps, int[] FailuresPerRepetition, double Accuracy, double LostNumber, int FramesInAccuracy);

/// <summary>pysot's dataset-level A/R numbers: accuracy (frame-pooled), robustness (failures per 100 frames), lost number.</summary>
public sealed record AccuracyRobustnessResult(
    double Accuracy, double Robustness, double LostNumber, int TotalLength, IReadOnlyList<AccuracyRobustnessSequence> Sequences);

/// <summary>
/// pysot <c>toolkit/evaluation/ar_benchmark.py AccuracyRobustnessBenchmark</c> (<c>eval</c> and the arithmetic of
/// <c>show_result</c>): overlaps with burn-in 10 and bounds (W, H); accuracy = <c>nanmean</c> over the frames of all
/// sequences pooled; robustness = mean over repetitions of (total failures / total frames) x 100; lost number = mean
/// over repetitions of total failures.
/// </summary>
public static class AccuracyRobustnessBenchmark
{
    public const int DefaultBurnin = 10;

    public static AccuracyRobustnessResult Evaluate(IReadOnlyList<VotTrackerRun> runs, int burnin = DefaultBurnin)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var sequences = runs.Select(run => EvaluateSequence(run, burnin)).ToList();

        var pooled = sequences.SelectMany(s => s.Overlaps).ToArray();
        double accuracy = NumpyReductions.NanMean(pooled);
        int length = pooled.Length;

        // np.sum(failures, axis=0): total failures per repetition (the repetition counts must agree, as numpy needs).
        int repetitions = sequences.Count == 0 ? 0 : sequences[0].FailuresPerRepetition.Length;
        if (sequences.Any(s => s.FailuresPerRepetition.Length != repetitions))
            throw new ArgumentException("Every sequence needs the same number of repetitions (pysot sums failures per repetition).");
        var totals = new double[repetitions];
        foreach (var s in sequences)
            for (int r = 0; r < repetitions; r++) totals[r] += s.FailuresPerRepetition[r];

        double lostNumber = NumpyReductions.Sum(totals) / repetitions;
        double robustness = NumpyReductions.Sum(totals.Select(t => t / length).ToArray()) / repetitions * 100;
        return new AccuracyRobustnessResult(accuracy, robustness, lostNumber, length, sequences);
    }

    /// <summary>pysot <c>_calculate_accuracy_robustness</c> for one video.</summary>
    public static AccuracyRobustnessSequence EvaluateSequence(VotTrackerRun run, int burnin = DefaultBurnin)
    {
        ArgumentNullException.ThrowIfNull(run);
        var seq = run.Sequence;
        var bounds = RegionBounds.FromSize(seq.Width, seq.Height);
        var perRepetition = new List<double[]>();
        var failures = new int[run.Repetitions.Count];
        for (int r = 0; r < run.Repetitions.Count; r++)
        {
            var trajectory = run.Repetitions[r];
            failures[r] = VotStatistics.CalculateFailures(trajectory).Length;
            perRepetition.Add(VotStatistics.CalculateAccuracy(trajectory, seq.GroundTruth, burnin, bounds).Overlaps);
        }
        var overlaps = NanMeanOverRepetitions(perRepetition, seq.Name);
        double lost = failures.Length == 0 ? double.NaN : failures.Average();
        int counted = overlaps.Count(v => !double.IsNaN(v));
        return new AccuracyRobustnessSequence(seq.Name, overlaps, failures, NumpyReductions.NanMean(overlaps), lost, counted);
    }

    /// <summary><c>np.nanmean(overlaps_group, axis=0)</c>: per frame, a running sum over repetitions of the finite values.</summary>
    private static double[] NanMeanOverRepetitions(List<double[]> perRepetition, string sequence)
    {
        if (perRepetition.Count == 0) return [];
        int n = perRepetition[0].Length;
        if (perRepetition.Any(o => o.Length != n))
            throw new ArgumentException($"{sequence}: repetitions of different lengths cannot be averaged per frame.");
        var mean = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            int count = 0;
            foreach (var o in perRepetition)
            {
                if (double.IsNaN(o[i])) continue;
                sum += o[i];
                count++;
            }
            mean[i] = sum / count;
        }
        return mean;
    }
}
