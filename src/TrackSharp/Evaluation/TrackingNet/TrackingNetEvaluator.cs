using System.IO.Compression;
using TrackSharp.Evaluation.Got10k;

namespace TrackSharp.Evaluation.TrackingNet;

/// <summary>
/// The TrackingNet devkit's <c>metrics.py evaluate(GT_zip, subm_zip)</c>, the published code of the evaluation
/// server. Per GT file: the submission entry whose name contains the GT file name (exactly one, otherwise an
/// all-zero submission), every coordinate rounded half-to-even (<c>np.round</c>), row 0 replaced by the GT, rows
/// aligned by index (missing rows NaN, extra rows ignored), inclusive-pixel IoU and centre distances, then curves
/// divided by the number of GT rows. No frame is masked: invalid GT and NaN rows simply fail.
/// </summary>
public static class TrackingNetEvaluator
{
    /// <summary>Evaluates a submission zip against a GT zip; per-sequence scores are those of a one-file GT zip.</summary>
    public static TrackingNetResult Evaluate(string gtZipPath, string submissionZipPath)
    {
        using var gtArchive = OpenZip(gtZipPath);
        using var submArchive = OpenZip(submissionZipPath);
        var submEntries = TrackingNetZip.TextEntries(submArchive);

        var perSequence = new Dictionary<string, TrackingNetScores>();
        var counts = new List<SequenceCounts>();
        foreach (string gtEntry in TrackingNetZip.TextEntries(gtArchive))
        {
            double[][] gt = TrackingNetZip.ReadRows(gtArchive, gtEntry, gtZipPath);
            double[][]? subm = FindSubmission(submArchive, submEntries, gtEntry, submissionZipPath);
            var c = CountSequence(gt, subm);
            counts.Add(c);
            perSequence[Path.GetFileNameWithoutExtension(gtEntry)] = Combine(new[] { c });
        }
        return new TrackingNetResult(Combine(counts), perSequence);
    }

    /// <summary>
    /// The submission rows for one GT entry: the devkit takes the entries whose name contains
    /// <c>os.path.basename(gt_entry)</c> and uses one only when exactly one matches; null means "all zeros".
    /// </summary>
    private static double[][]? FindSubmission(ZipArchive archive, IReadOnlyList<string> entries, string gtEntry,
        string zipPath)
    {
        string baseName = gtEntry[(gtEntry.LastIndexOf('/') + 1)..];
        var matches = entries.Where(e => e.Contains(baseName, StringComparison.Ordinal)).ToArray();
        return matches.Length == 1 ? TrackingNetZip.ReadRows(archive, matches[0], zipPath) : null;
    }

    /// <summary>Per-sequence fractions of the three curves and the coverage counts.</summary>
    private sealed record SequenceCounts(double[] Success, double[] Precision, double[] NormPrecision,
        int CoveredRows, int Rows);

    private static SequenceCounts CountSequence(double[][] gt, double[][]? subm)
    {
        int n = gt.Length;
        var iou = new double[n];
        var dist = new double[n];
        var ndist = new double[n];
        int covered = 0;
        for (int t = 0; t < n; t++)
        {
            double[] a = gt[t].Select(RoundHalfEven).ToArray();
            double[] s;
            if (t == 0) s = a; // df.loc[0, subm_*] = df.loc[0, anno_*], after rounding
            else if (subm == null) s = new double[4];
            else if (t < subm.Length) s = subm[t].Select(RoundHalfEven).ToArray();
            else s = new[] { double.NaN, double.NaN, double.NaN, double.NaN };
            var f = FrameMetrics(a, s);
            iou[t] = f.Iou;
            dist[t] = f.Distance;
            ndist[t] = f.NormDistance;
            // sanity_check: (h + w + x + y) > 0, the devkit's "coverage".
            if (s[3] + s[2] + s[0] + s[1] > 0) covered++;
        }
        return new SequenceCounts(
            Fractions(iou, TrackingNetThresholds.Success, (v, th) => v >= th, n),
            Fractions(dist, TrackingNetThresholds.Precision, (v, th) => v <= th, n),
            Fractions(ndist, TrackingNetThresholds.NormalizedPrecision, (v, th) => v <= th, n),
            covered, n);
    }

    /// <summary>
    /// IoU, centre distance and normalised distance of one frame of rounded boxes (x, y, w, h), in the devkit's
    /// inclusive-pixel form: <c>x2 = x + w - 1</c>, centre <c>x + (w + 1) / 2</c>, intersection width
    /// <c>round(min(x2) - max(x1) + 1)</c> clipped at 0. The min/max skip a NaN operand (pandas <c>skipna</c>).
    /// </summary>
    internal static (double Iou, double Distance, double NormDistance) FrameMetrics(double[] a, double[] s)
    {
        double ax2 = a[0] + a[2] - 1.0, ay2 = a[1] + a[3] - 1.0;
        double sx2 = s[0] + s[2] - 1.0, sy2 = s[1] + s[3] - 1.0;
        double acx = a[0] + (a[2] + 1.0) / 2.0, acy = a[1] + (a[3] + 1.0) / 2.0;
        double scx = s[0] + (s[2] + 1.0) / 2.0, scy = s[1] + (s[3] + 1.0) / 2.0;

        double interW = ClipLowerZero(RoundHalfEven(NanSkippingMin(ax2, sx2) - NanSkippingMax(a[0], s[0]) + 1));
        double interH = ClipLowerZero(RoundHalfEven(NanSkippingMin(ay2, sy2) - NanSkippingMax(a[1], s[1]) + 1));
        double interArea = interW * interH;
        double submArea = s[3] * s[2];
        double annoArea = a[3] * a[2];
        double iou = interArea / (annoArea + submArea - interArea);

        double dx = acx - scx, dy = acy - scy;
        double distance = Math.Sqrt(dx * dx + dy * dy);
        // The devkit's literal order: (dx / w * dx / w) + (dy / h * dy / h), evaluated left to right.
        double normDistance = Math.Sqrt(dx / a[2] * dx / a[2] + dy / a[3] * dy / a[3]);
        return (iou, distance, normDistance);
    }

    /// <summary>
    /// Averages the per-sequence curves (summed in order, then divided by the sequence count, as the devkit's
    /// running <c>+=</c> does), integrates them with <c>np.trapz</c> over <c>linspace(0, 1, 21)</c> and pools coverage.
    /// </summary>
    private static TrackingNetScores Combine(IReadOnlyList<SequenceCounts> sequences)
    {
        var success = new double[TrackingNetThresholds.Count];
        var precision = new double[TrackingNetThresholds.Count];
        var norm = new double[TrackingNetThresholds.Count];
        foreach (var c in sequences)
            for (int k = 0; k < TrackingNetThresholds.Count; k++)
            {
                success[k] += c.Success[k];
                precision[k] += c.Precision[k];
                norm[k] += c.NormPrecision[k];
            }
        for (int k = 0; k < TrackingNetThresholds.Count; k++)
        {
            success[k] /= sequences.Count;
            precision[k] /= sequences.Count;
            norm[k] /= sequences.Count;
        }
        double coverage = (double)sequences.Sum(c => c.CoveredRows) / sequences.Sum(c => c.Rows) * 100;
        return new TrackingNetScores(coverage, Trapz(success) * 100, Trapz(precision) * 100, Trapz(norm) * 100,
            success, precision, norm);
    }

    /// <summary><c>np.trapz(y, x=linspace(0, 1, 21))</c>: <c>sum(diff(x) * (y[1:] + y[:-1]) / 2)</c>, pairwise summed.</summary>
    internal static double Trapz(IReadOnlyList<double> y)
    {
        var x = TrackingNetThresholds.Success;
        var terms = new double[y.Count - 1];
        for (int i = 0; i < terms.Length; i++)
            terms[i] = (x[i + 1] - x[i]) * (y[i + 1] + y[i]) / 2.0;
        return NumpyReductions.PairwiseSum(terms);
    }

    private static double[] Fractions(double[] values, IReadOnlyList<double> thresholds,
        Func<double, double, bool> passes, int rows)
    {
        var curve = new double[thresholds.Count];
        for (int k = 0; k < curve.Length; k++)
            curve[k] = (double)values.Count(v => passes(v, thresholds[k])) / rows;
        return curve;
    }

    /// <summary><c>np.round</c>: half to even (Math.Round's default), NaN stays NaN.</summary>
    private static double RoundHalfEven(double v) => Math.Round(v, MidpointRounding.ToEven);

    /// <summary>pandas <c>clip(lower=0)</c>: NaN stays NaN.</summary>
    private static double ClipLowerZero(double v) => double.IsNaN(v) ? v : Math.Max(v, 0);

    private static double NanSkippingMax(double a, double b) => double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Max(a, b);
    private static double NanSkippingMin(double a, double b) => double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Min(a, b);

    private static ZipArchive OpenZip(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: zip file not found", path);
        try { return ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: not a readable zip file ({e.Message})", e); }
    }
}
