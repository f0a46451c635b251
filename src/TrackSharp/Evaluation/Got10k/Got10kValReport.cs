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
        var pooledIous = new List<double>();
        var pooledTimes = new List<double>();
        var scores = new List<Got10kSequenceScore>();
        foreach (var seq in sequences)
        {
            var seqIous = new List<double>();
            foreach (string file in RepetitionFiles(trackerDir, seq.Name))
            {
                var boxes = NumericTextFile.ReadBoxes(file, FieldSeparator.Comma);
                if (boxes.Length != seq.GroundTruth.Count)
                    throw new Got10kEvaluationException(
                        $"{file}: {boxes.Length} rows, ground truth of {seq.Name} has {seq.GroundTruth.Count}; " +
                        "ExperimentGOT10k.report asserts equal shapes");
                var ious = FrameIous(seq, boxes);
                for (int t = 0; t < ious.Length; t++)
                    if (seq.Cover[t + 1] > 0) seqIous.Add(ious[t]);
            }
            double[] seqTimes = ReadTimes(Path.Combine(trackerDir, seq.Name, $"{seq.Name}_time.txt"));
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
        var curve = new double[thresholds.Count];
        for (int k = 0; k < curve.Length; k++)
            curve[k] = (double)ious.Count(v => v > thresholds[k]) / ious.Length;
        return (ao, sr, speed, curve);
    }
}
