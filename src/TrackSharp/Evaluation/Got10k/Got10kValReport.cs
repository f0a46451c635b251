using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Got10k;

/// <summary>
/// <c>ExperimentGOT10k.report</c> for the val subset (GOT-10k toolkit): results are read from
/// <c>&lt;trackerDir&gt;/&lt;seq&gt;/&lt;seq&gt;_NNN.txt</c> (all repetitions) and <c>&lt;seq&gt;_time.txt</c>.
/// Frame 0 is dropped, boxes and GT are clipped to the image, frames with <c>cover == 0</c> are excluded, and the
/// remaining IoUs of every sequence and repetition are pooled. A NaN in a kept frame makes AO NaN (SR is unaffected),
/// and a result whose row count differs from the ground truth is refused, as the toolkit's assertion does.
/// </summary>
public static class Got10kValReport
{
    /// <summary>Evaluates one tracker's result folder on <paramref name="sequences"/> (in their order).</summary>
    public static Got10kValResult Evaluate(IReadOnlyList<Got10kValSequence> sequences, string trackerDir)
    {
        var results = new List<IReadOnlyList<IReadOnlyList<BoxXywh>>>(sequences.Count);
        var times = new List<IReadOnlyList<double>>(sequences.Count);
        foreach (var seq in sequences)
        {
            var repetitions = new List<IReadOnlyList<BoxXywh>>();
            foreach (string file in RepetitionFiles(trackerDir, seq.Name))
            {
                var boxes = NumericTextFile.ReadBoxes(file, FieldSeparator.Comma);
                if (boxes.Length != seq.GroundTruth.Count)
                    throw new Got10kEvaluationException(
                        $"{file}: {boxes.Length} rows, ground truth of {seq.Name} has {seq.GroundTruth.Count}; " +
                        "ExperimentGOT10k.report asserts equal shapes");
                repetitions.Add(boxes);
            }
            results.Add(repetitions);
            times.Add(ReadTimes(Path.Combine(trackerDir, seq.Name, $"{seq.Name}_time.txt")));
        }
        return Evaluate(sequences, results, times);
    }

    /// <summary>
    /// The same report from boxes in memory: <paramref name="results"/>[i] holds the repetitions of
    /// <paramref name="sequences"/>[i] (one box per GT frame each), <paramref name="times"/>[i] its frame times in
    /// seconds (NaN and non-positive values are dropped; null or empty: speed -1).
    /// </summary>
    /// <exception cref="Got10kEvaluationException">A sequence without repetitions, or a repetition whose row count
    /// differs from the ground truth.</exception>
    public static Got10kValResult Evaluate(IReadOnlyList<Got10kValSequence> sequences,
        IReadOnlyList<IReadOnlyList<IReadOnlyList<BoxXywh>>> results, IReadOnlyList<IReadOnlyList<double>>? times = null)
    {
        if (results.Count != sequences.Count)
            throw new ArgumentException($"{results.Count} results for {sequences.Count} sequences", nameof(results));
        if (times is not null && times.Count != sequences.Count)
            throw new ArgumentException($"{times.Count} time lists for {sequences.Count} sequences", nameof(times));
        var pooledIous = new List<double>();
        var pooledTimes = new List<double>();
        var scores = new List<Got10kSequenceScore>();
        for (int i = 0; i < sequences.Count; i++)
        {
            var seq = sequences[i];
            if (results[i].Count == 0)
                throw new Got10kEvaluationException($"results for sequence {seq.Name} not found (no repetition)");
            var seqIous = new List<double>();
            for (int r = 0; r < results[i].Count; r++)
            {
                var boxes = results[i][r];
                if (boxes.Count != seq.GroundTruth.Count)
                    throw new Got10kEvaluationException(
                        $"{seq.Name} repetition {r + 1}: {boxes.Count} rows, ground truth has {seq.GroundTruth.Count}; " +
                        "ExperimentGOT10k.report asserts equal shapes");
                var ious = FrameIous(seq, boxes);
                for (int t = 0; t < ious.Length; t++)
                    if (seq.Cover[t + 1] > 0) seqIous.Add(ious[t]);
            }
            double[] seqTimes = times is null
                ? Array.Empty<double>()
                : times[i].Where(t => !double.IsNaN(t) && t > 0).ToArray();
            var (ao, sr, speed, _) = Summarise(seqIous.ToArray(), seqTimes);
            scores.Add(new Got10kSequenceScore(seq.Name, ao, sr, speed, seq.GroundTruth.Count - 1));
            pooledIous.AddRange(seqIous);
            pooledTimes.AddRange(seqTimes);
        }
        var (allAo, allSr, allSpeed, curve) = Summarise(pooledIous.ToArray(), pooledTimes.ToArray());
        return new Got10kValResult(allAo, allSr, allSpeed, curve, scores);
    }

    /// <summary>
    /// IoUs of frames 1..N-1 (before the cover filter): <c>rect_iou(boxes[1:], anno[1:], bound=(W, H))</c>.
    /// </summary>
    public static double[] FrameIous(Got10kValSequence sequence, IReadOnlyList<BoxXywh> boxes)
    {
        int n = sequence.GroundTruth.Count;
        if (boxes.Count != n)
            throw new ArgumentException($"{boxes.Count} result rows for {n} ground-truth frames of {sequence.Name}");
        var ious = new double[n - 1];
        for (int t = 1; t < n; t++)
            ious[t - 1] = Got10kBoxMetrics.RectIou(boxes[t], sequence.GroundTruth[t],
                sequence.ImageWidth, sequence.ImageHeight);
        return ious;
    }

    /// <summary>
    /// The repetition files <c>&lt;seq&gt;_[0-9]*.txt</c> (the toolkit's glob), sorted by name; none is an error
    /// ("Results for sequence ... not found").
    /// </summary>
    public static IReadOnlyList<string> RepetitionFiles(string trackerDir, string sequenceName)
    {
        string dir = Path.Combine(trackerDir, sequenceName);
        string prefix = sequenceName + "_";
        var files = Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir)
                .Where(f =>
                {
                    string name = Path.GetFileName(f);
                    return name.StartsWith(prefix, StringComparison.Ordinal)
                           && name.EndsWith(".txt", StringComparison.Ordinal)
                           && name.Length > prefix.Length + 4
                           && char.IsAsciiDigit(name[prefix.Length]);
                })
                .Order(StringComparer.Ordinal)
                .ToArray()
            : Array.Empty<string>();
        if (files.Length == 0)
            throw new Got10kEvaluationException($"{dir}: results for sequence {sequenceName} not found " +
                                                $"(expected {sequenceName}_001.txt, ...)");
        return files;
    }

    /// <summary>Frame times of all repetitions (row-major), without NaN and non-positive values; empty if no file.</summary>
    private static double[] ReadTimes(string timeFile)
    {
        if (!File.Exists(timeFile)) return Array.Empty<double>();
        return NumericTextFile.ReadAllValues(timeFile, FieldSeparator.Comma)
            .Where(t => !double.IsNaN(t) && t > 0).ToArray();
    }

    /// <summary><c>ExperimentGOT10k._evaluate</c>: AO, SR, speed and the 101-point success curve.</summary>
    private static (double Ao, double Sr, double Speed, double[] Curve) Summarise(double[] ious, double[] times)
    {
        double ao = NumpyReductions.Mean(ious);
        double sr = (double)ious.Count(v => v > 0.5) / ious.Length;
        double speed = times.Length > 0 ? NumpyReductions.Mean(times.Select(t => 1.0 / t).ToArray()) : -1;
        var thresholds = Got10kThresholds.Got10kSuccess;
        var counts = ThresholdCounts.Greater(ious, thresholds);
        var curve = new double[thresholds.Count];
        for (int k = 0; k < curve.Length; k++)
            curve[k] = (double)counts[k] / ious.Length;
        return (ao, sr, speed, curve);
    }
}
