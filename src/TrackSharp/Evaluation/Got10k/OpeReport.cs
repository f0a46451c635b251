using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Got10k;

/// <summary>
/// <c>ExperimentOTB.report</c> / <c>ExperimentUAV123.report</c> / <c>ExperimentLaSOT.report</c> of the GOT-10k toolkit.
/// Results are read from <c>&lt;trackerDir&gt;/&lt;seq&gt;.txt</c> and times from
/// <c>&lt;trackerDir&gt;/times/&lt;seq&gt;_time.txt</c>. Each sequence gets its own curves; the overall curves are
/// their plain mean (every sequence weighs the same); speed is the mean of the per-sequence speeds that exist.
/// </summary>
public static class OpeReport
{
    /// <summary>Evaluates one tracker's result folder on <paramref name="sequences"/>.</summary>
    public static OpeResult Evaluate(OpeExperiment experiment, IReadOnlyList<OpeSequence> sequences, string trackerDir)
    {
        var perSequence = new Dictionary<string, OpeScores>();
        var successRows = new List<double[]>();
        var precisionRows = new List<double[]>();
        var normRows = new List<double[]>();
        var speeds = new List<double>();
        foreach (var seq in sequences)
        {
            var boxes = NumericTextFile.ReadBoxes(Path.Combine(trackerDir, seq.Name + ".txt"), FieldSeparator.Comma);
            var errors = FrameErrors(experiment, seq.GroundTruth, boxes);
            var (success, precision, norm) = Curves(errors);
            double speed = SequenceSpeed(Path.Combine(trackerDir, "times", seq.Name + "_time.txt"));
            perSequence[seq.Name] = new OpeScores(success, precision, norm, speed > 0 ? speed : -1);
            successRows.Add(success);
            precisionRows.Add(precision);
            if (norm != null) normRows.Add(norm);
            speeds.Add(speed);
        }

        // np.sum(speeds) / np.count_nonzero(speeds): sequences without times (speed 0) do not count.
        int withSpeed = speeds.Count(s => s != 0);
        double avgSpeed = withSpeed > 0 ? NumpyReductions.PairwiseSum(speeds.ToArray()) / withSpeed : -1;
        var overall = new OpeScores(
            NumpyReductions.MeanOfRows(successRows, Got10kThresholds.OpeSuccess.Count),
            NumpyReductions.MeanOfRows(precisionRows, Got10kThresholds.OpePrecision.Count),
            experiment == OpeExperiment.Lasot
                ? NumpyReductions.MeanOfRows(normRows, Got10kThresholds.LasotNormalizedPrecision.Count)
                : null,
            avgSpeed);
        return new OpeResult(overall, perSequence);
    }

    /// <summary>
    /// The per-frame errors the report computes for one sequence: <c>boxes[0] = anno[0]</c>, both truncated to the
    /// shorter length (the toolkit only warns), then for UAV123/LaSOT rows whose GT has a NaN are dropped
    /// (<c>_calc_metrics</c>'s <c>valid</c> mask); IoU without a bound, centre error, LaSOT normalised centre error.
    /// </summary>
    public static OpeFrameErrors FrameErrors(OpeExperiment experiment, IReadOnlyList<BoxXywh> groundTruth,
        IReadOnlyList<BoxXywh> boxes)
    {
        int n = Math.Min(groundTruth.Count, boxes.Count);
        var index = new List<int>(n);
        var iou = new List<double>(n);
        var center = new List<double>(n);
        var norm = experiment == OpeExperiment.Lasot ? new List<double>(n) : null;
        for (int t = 0; t < n; t++)
        {
            BoxXywh gt = groundTruth[t];
            BoxXywh pred = t == 0 ? gt : boxes[t];
            if (experiment != OpeExperiment.Otb && HasNaN(gt)) continue;
            index.Add(t);
            iou.Add(Got10kBoxMetrics.RectIou(pred, gt));
            center.Add(Got10kBoxMetrics.CenterError(pred, gt));
            norm?.Add(Got10kBoxMetrics.NormalizedCenterError(pred, gt));
        }
        return new OpeFrameErrors(index, iou, center, norm);
    }

    /// <summary><c>_calc_curves</c>: fractions of frames with IoU &gt; t, error &lt;= t (px) and normalised error &lt;= t.</summary>
    private static (double[] Success, double[] Precision, double[]? Norm) Curves(OpeFrameErrors e)
    {
        double[] success = Fractions(e.Iou, Got10kThresholds.OpeSuccess, (v, t) => v > t);
        double[] precision = Fractions(e.CenterError, Got10kThresholds.OpePrecision, (v, t) => v <= t);
        double[]? norm = e.NormalizedCenterError is null
            ? null
            : Fractions(e.NormalizedCenterError, Got10kThresholds.LasotNormalizedPrecision, (v, t) => v <= t);
        return (success, precision, norm);
    }

    private static double[] Fractions(IReadOnlyList<double> values, IReadOnlyList<double> thresholds,
        Func<double, double, bool> passes)
    {
        var curve = new double[thresholds.Count];
        for (int k = 0; k < curve.Length; k++)
            curve[k] = (double)values.Count(v => passes(v, thresholds[k])) / values.Count;
        return curve;
    }

    /// <summary>mean(1/t) over the times t &gt; 0 of the file (NaN fails the test); 0 when there is none.</summary>
    private static double SequenceSpeed(string timeFile)
    {
        if (!File.Exists(timeFile)) return 0;
        double[] times = NumericTextFile.ReadAllValues(timeFile, FieldSeparator.WhitespaceOrComma)
            .Where(t => t > 0).ToArray();
        return times.Length > 0 ? NumpyReductions.Mean(times.Select(t => 1.0 / t).ToArray()) : 0;
    }

    private static bool HasNaN(BoxXywh b) =>
        double.IsNaN(b.X) || double.IsNaN(b.Y) || double.IsNaN(b.Width) || double.IsNaN(b.Height);
}
