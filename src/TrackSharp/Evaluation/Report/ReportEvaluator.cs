using TrackSharp.Data.Datasets;
using TrackSharp.Evaluation.Got10k;
using TrackSharp.Evaluation.Pysot;
using TrackSharp.Evaluation.Pytracking;
using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Report;

/// <summary>
/// Builds an <see cref="EvaluationReport"/> from raw result folders and a dataset. Results are read from
/// <c>&lt;DIR&gt;/&lt;tracker&gt;/&lt;seq&gt;.txt</c> (the common layout of pysot, pytracking, OSTrack and the GOT-10k
/// toolkit's OTB experiments; comma, tab or space separated, <c>nan</c> allowed), or, when that file does not exist,
/// <c>&lt;DIR&gt;/&lt;tracker&gt;/&lt;seq&gt;/&lt;seq&gt;_NNN.txt</c> (GOT-10k layout: every repetition for GOT-10k val, the
/// first one otherwise; for GOT-10k val under the got10k convention the GOT-10k layout is preferred when both exist).
/// A DIR that itself holds <c>&lt;seq&gt;.txt</c> files is one tracker. Times, when present:
/// <c>&lt;tracker&gt;/times/&lt;seq&gt;_time.txt</c> or <c>&lt;tracker&gt;/&lt;seq&gt;/&lt;seq&gt;_time.txt</c>.
/// The numbers come from the library's port of the chosen toolkit; a file that toolkit would refuse (or that cannot be
/// read) is a warning naming the file, and the report covers everything else.
/// </summary>
public static class ReportEvaluator
{
    private sealed record GtSequence(string Name, BoxXywh[] GroundTruth, bool[]? Visible, Got10kValSequence? Got10k)
    {
        /// <summary>Attribute codes (OTB, LaSOT); null when the benchmark or the sequence has none.</summary>
        public IReadOnlyList<string>? Attributes { get; init; }
    }

    private sealed record Loaded(BoxXywh[][] Repetitions, string File, double[] Times);

    /// <summary>Evaluates every tracker found under <paramref name="resultDirs"/> on the dataset at <paramref name="dataPath"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The dataset folder or a result folder does not exist.</exception>
    /// <exception cref="ArgumentException">No result folder given.</exception>
    public static EvaluationReport Run(IReadOnlyList<string> resultDirs, ReportBenchmark benchmark, string dataPath,
        ReportConvention? convention = null, Action<string>? progress = null)
    {
        if (resultDirs.Count == 0) throw new ArgumentException("no result folder given (--results DIR)");
        foreach (string d in resultDirs)
            if (!Directory.Exists(d))
                throw new DirectoryNotFoundException($"result folder '{d}' does not exist");
        var conv = convention ?? ReportOptions.DefaultConvention(benchmark);
        var warnings = new List<ReportWarning>();
        var sequences = LoadDataset(benchmark, dataPath, conv, warnings);
        var trackers = FindTrackers(resultDirs, sequences.Select(s => s.Name).ToList(), warnings);

        var reports = new List<TrackerReport>();
        foreach (var (name, folder) in trackers)
        {
            progress?.Invoke(name);
            reports.Add(EvaluateTracker(name, folder, sequences, benchmark, conv, warnings));
        }

        var thresholds = Thresholds(benchmark, conv);
        return new EvaluationReport(ReportOptions.Name(benchmark), Path.GetFullPath(dataPath), ReportOptions.Name(conv),
            Notes(benchmark, conv), thresholds, sequences.Select(s => s.Name).ToList(), reports, warnings,
            AttributeReports(benchmark, sequences, reports, thresholds));
    }

    // ---------------------------------------------------------------- dataset

    private static List<GtSequence> LoadDataset(ReportBenchmark benchmark, string dataPath, ReportConvention conv,
        List<ReportWarning> warnings)
    {
        var dataset = DatasetReader.Open(dataPath, ReportOptions.Format(benchmark));
        foreach (var f in dataset.Findings.Where(f => f.Severity == ProblemSeverity.Problem))
            warnings.Add(new ReportWarning(f.File, f.Message));
        var result = new List<GtSequence>();
        foreach (var seq in dataset.Sequences)
        {
            try
            {
                var loaded = LoadSequence(seq, benchmark, conv);
                if (TargetNeverPresent(loaded))
                {
                    warnings.Add(new ReportWarning(seq.AnnotationPath,
                        $"sequence '{seq.Name}' skipped: the ground truth has no frame after the first with the target present " +
                        "(every box absent, invalid or fully occluded), so no tracker can be scored on it"));
                    continue;
                }
                result.Add(loaded with { Attributes = SequenceAttributes(benchmark, dataset.Root, seq, warnings) });
            }
            catch (Exception e) when (e is DatasetFormatException or Got10kEvaluationException or FormatException
                                          or IOException)
            {
                warnings.Add(new ReportWarning(null, $"sequence '{seq.Name}' skipped: {e.Message}"));
            }
        }
        if (result.Count == 0)
            warnings.Add(new ReportWarning(dataset.Root, $"no {ReportOptions.Name(benchmark)} sequence with ground truth found"));
        return result;
    }

    /// <summary>The attribute codes of a sequence; an unreadable attribute file is a warning, not a skipped sequence.</summary>
    private static IReadOnlyList<string>? SequenceAttributes(ReportBenchmark benchmark, string root, TrackingSequence seq,
        List<ReportWarning> warnings)
    {
        try
        {
            return benchmark switch
            {
                ReportBenchmark.Otb => OtbAttributes.Of(seq.Name, Path.GetDirectoryName(seq.AnnotationPath)),
                ReportBenchmark.Lasot => LasotAttributes.Of(root, seq.Name),
                _ => null,
            };
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            warnings.Add(new ReportWarning(null, $"sequence '{seq.Name}': attributes not read: {e.Message}"));
            return null;
        }
    }

    /// <summary>
    /// Per attribute (in the benchmark's order, those that at least one sequence has): the mean of each tracker's
    /// per-sequence curves over the subset's sequences it was evaluated on. GOT-10k val pools frames, so it has no
    /// attribute subsets here.
    /// </summary>
    private static List<AttributeReport> AttributeReports(ReportBenchmark benchmark, List<GtSequence> sequences,
        List<TrackerReport> trackers, ReportThresholds thresholds)
    {
        var list = benchmark switch
        {
            ReportBenchmark.Otb => OtbAttributes.All,
            ReportBenchmark.Lasot => LasotAttributes.All,
            _ => [],
        };
        int at20 = thresholds.Precision is { } pt ? IndexOf(pt, 20) : -1;
        var result = new List<AttributeReport>();
        foreach (var (code, name) in list)
        {
            var subset = sequences.Where(s => s.Attributes?.Contains(code) == true).Select(s => s.Name).ToList();
            if (subset.Count == 0) continue;
            var scores = new List<AttributeTrackerScores>();
            foreach (var t in trackers)
            {
                var done = t.Sequences.Where(s => s.Status == SequenceStatus.Ok && subset.Contains(s.Sequence)).Select(s => s.Scores!).ToList();
                if (done.Count == 0) continue;
                var success = MeanCurve(done.Select(d => d.SuccessCurve).ToList());
                var precision = done.All(d => d.PrecisionCurve is not null) ? MeanCurve(done.Select(d => d.PrecisionCurve!).ToList()) : null;
                scores.Add(new AttributeTrackerScores(t.Name, done.Count, success.Average(),
                    precision is not null && at20 >= 0 ? precision[at20] : null, success, precision));
            }
            result.Add(new AttributeReport(code, name, subset, scores));
        }
        return result;
    }

    private static double[] MeanCurve(IReadOnlyList<IReadOnlyList<double>> curves)
    {
        var mean = new double[curves[0].Count];
        foreach (var c in curves)
            for (int i = 0; i < mean.Length; i++) mean[i] += c[i];
        for (int i = 0; i < mean.Length; i++) mean[i] /= curves.Count;
        return mean;
    }

    private static int IndexOf(IReadOnlyList<double> values, double value)
    {
        for (int i = 0; i < values.Count; i++)
            if (Math.Abs(values[i] - value) < 1e-9) return i;
        return -1;
    }

    /// <summary>
    /// True when no frame after the first shows the target: every box is invalid (NaN, zero or negative size), or the
    /// frame is flagged invisible (LaSOT occlusion / out of view) or has cover 0 (GOT-10k). The toolkits give such a
    /// sequence 0 or NaN (division by zero frames), which would only drag or poison the overall numbers.
    /// </summary>
    private static bool TargetNeverPresent(GtSequence seq)
    {
        int n = seq.GroundTruth.Length;
        if (n <= 1) return false;
        for (int i = 1; i < n; i++)
        {
            bool present = seq.GroundTruth[i].IsValid && (seq.Visible is null || seq.Visible[i])
                           && (seq.Got10k is null || seq.Got10k.Cover[i] > 0);
            if (present) return false;
        }
        return true;
    }

    private static GtSequence LoadSequence(TrackingSequence seq, ReportBenchmark benchmark, ReportConvention conv)
    {
        string seqDir = Path.GetDirectoryName(seq.AnnotationPath)!;
        if (benchmark == ReportBenchmark.Got10kVal && conv == ReportConvention.Got10k)
        {
            var g = Got10kValDataset.LoadSequence(Path.GetDirectoryName(seqDir)!, Path.GetFileName(seqDir));
            return new GtSequence(seq.Name, g.GroundTruth.ToArray(), null, g);
        }
        BoxXywh[] gt = seq.GroundTruth.ToArray();
        bool[]? visible = null;
        bool framesMissing = gt.Length == 0 && File.Exists(seq.AnnotationPath);
        if (framesMissing)
        {
            // Metrics need no images: without a frame folder the sequence is the annotation rows.
            var (boxes, problems) = AnnotationText.ReadBoxes(seq.AnnotationPath);
            var bad = problems.FirstOrDefault(p => !p.Message.StartsWith("negative size", StringComparison.Ordinal));
            if (bad is not null) throw new DatasetFormatException(bad);
            gt = boxes;
        }
        if (benchmark == ReportBenchmark.Lasot)
        {
            if (!framesMissing && seq.Absent is { } outOfView && seq.FullOcclusion is { } occlusion)
                visible = Enumerable.Range(0, gt.Length).Select(i => !outOfView[i] && !occlusion[i]).ToArray();
            else
            {
                visible = PytrackingTextFile.ReadLasotVisibility(seqDir);
                if (visible.Length != gt.Length)
                    throw new DatasetFormatException(seqDir, null,
                        $"{visible.Length} occlusion/out-of-view flags for {gt.Length} ground-truth rows");
            }
        }
        return new GtSequence(seq.Name, gt, visible, null);
    }

    // ---------------------------------------------------------------- trackers

    private static List<(string Name, string Folder)> FindTrackers(IReadOnlyList<string> dirs, List<string> sequenceNames,
        List<ReportWarning> warnings)
    {
        bool HoldsResults(string dir) => sequenceNames.Any(s =>
            File.Exists(Path.Combine(dir, s + ".txt")) || Directory.Exists(Path.Combine(dir, s)));
        var found = new List<(string Name, string Folder)>();
        foreach (string dir in dirs)
        {
            string full = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar);
            var folders = HoldsResults(full)
                ? [full]
                : Directory.EnumerateDirectories(full)
                    .Where(d => !Path.GetFileName(d).StartsWith('.') && Path.GetFileName(d) != "times" && HoldsResults(d))
                    .OrderBy(d => d, StringComparer.Ordinal).ToList();
            if (folders.Count == 0)
                warnings.Add(new ReportWarning(full,
                    "no tracker results for this dataset (expected <DIR>/<tracker>/<sequence>.txt)"));
            found.AddRange(folders.Select(f => (Path.GetFileName(f), f)));
        }
        // The same tracker name in two folders: qualify both by their parent folder.
        return found.Select(t => found.Count(o => o.Name == t.Name) > 1
            ? ($"{Path.GetFileName(Path.GetDirectoryName(t.Folder))}/{t.Name}", t.Folder)
            : t).ToList();
    }

    // ---------------------------------------------------------------- evaluation

    private static TrackerReport EvaluateTracker(string name, string folder, List<GtSequence> sequences,
        ReportBenchmark benchmark, ReportConvention conv, List<ReportWarning> warnings)
    {
        var entries = new List<SequenceReport>();
        var evaluated = new List<(GtSequence Seq, Loaded Result, object Metrics, ReportScores Scores)>();
        foreach (var seq in sequences)
        {
            var notes = new List<string>();
            void Warn(string file, string message)
            {
                notes.Add(message);
                warnings.Add(new ReportWarning(file, $"{name}/{seq.Name}: {message}"));
            }

            string expected = Path.Combine(folder, seq.Name + ".txt");
            Loaded? loaded;
            try
            {
                loaded = Load(folder, seq.Name, allRepetitions: conv == ReportConvention.Got10k && seq.Got10k is not null);
            }
            catch (Exception e) when (e is Got10kEvaluationException or FormatException or IOException)
            {
                Warn(expected, $"unreadable result, not evaluated: {e.Message}");
                entries.Add(new SequenceReport(seq.Name, SequenceStatus.Error, expected, seq.GroundTruth.Length, null, null, notes));
                continue;
            }
            if (loaded is null)
            {
                Warn(expected, "results missing (no such file)");
                entries.Add(new SequenceReport(seq.Name, SequenceStatus.Missing, expected, seq.GroundTruth.Length, null, null, notes));
                continue;
            }

            foreach (var rep in loaded.Repetitions) Diagnose(rep, seq, conv, loaded.File, Warn);
            try
            {
                var (metrics, scores) = EvaluateSequence(seq, loaded, benchmark, conv);
                evaluated.Add((seq, loaded, metrics, scores));
                entries.Add(new SequenceReport(seq.Name, SequenceStatus.Ok, loaded.File, seq.GroundTruth.Length,
                    loaded.Repetitions[0].Length, scores, notes));
            }
            catch (Exception e) when (e is PysotEvaluationException or PytrackingEvaluationException
                                          or Got10kEvaluationException or ArgumentException)
            {
                Warn(loaded.File, $"not evaluated: {e.Message}");
                entries.Add(new SequenceReport(seq.Name, SequenceStatus.Error, loaded.File, seq.GroundTruth.Length,
                    loaded.Repetitions[0].Length, null, notes));
            }
        }

        ReportScores? overall = evaluated.Count == 0 ? null : Overall(evaluated, conv, benchmark);
        if (evaluated.Count == 0)
            warnings.Add(new ReportWarning(folder, $"{name}: no sequence could be evaluated"));
        return new TrackerReport(name, folder, evaluated.Count, sequences.Count, overall, entries);
    }

    /// <summary>Reads the result (and times) of one sequence; null when there is none.</summary>
    private static Loaded? Load(string folder, string sequence, bool allRepetitions)
    {
        string flat = Path.Combine(folder, sequence + ".txt");
        string[] files;
        string timeFile;
        // Where both layouts exist (our eval writes both), GOT-10k val under its own toolkit reads every repetition.
        bool preferGot10k = allRepetitions && Directory.Exists(Path.Combine(folder, sequence));
        if (File.Exists(flat) && !preferGot10k)
        {
            files = [flat];
            timeFile = Path.Combine(folder, "times", sequence + "_time.txt");
        }
        else if (Directory.Exists(Path.Combine(folder, sequence)))
        {
            var reps = Got10kValReport.RepetitionFiles(folder, sequence);
            files = allRepetitions ? reps.ToArray() : [reps[0]];
            timeFile = Path.Combine(folder, sequence, sequence + "_time.txt");
        }
        else return null;
        var boxes = files.Select(f => NumericTextFile.ReadBoxes(f, FieldSeparator.WhitespaceOrComma)).ToArray();
        double[] times = File.Exists(timeFile)
            ? NumericTextFile.ReadAllValues(timeFile, FieldSeparator.WhitespaceOrComma)
            : [];
        return new Loaded(boxes, files[0], times);
    }

    /// <summary>Warnings for what a result file gets wrong, with what the convention does about it.</summary>
    private static void Diagnose(BoxXywh[] boxes, GtSequence seq, ReportConvention conv, string file, Action<string, string> warn)
    {
        int n = seq.GroundTruth.Length;
        bool pytracking = conv is ReportConvention.Pytracking or ReportConvention.OSTrack;
        bool val = seq.Got10k is not null && conv == ReportConvention.Got10k;
        if (boxes.Length != n)
        {
            string action = conv switch
            {
                ReportConvention.Pysot => "pysot refuses it",
                _ when val => "the GOT-10k toolkit refuses it",
                ReportConvention.Got10k => "truncated to the shorter, as the GOT-10k toolkit does",
                _ => boxes.Length > n ? "truncated, as pytracking does" : "padded with 0,0,0,0 rows, as pytracking does",
            };
            warn(file, $"wrong number of lines: {boxes.Length} result rows for {n} ground-truth frames ({action})");
        }
        var nan = Enumerable.Range(0, boxes.Length).Where(i => HasNaN(boxes[i])).ToList();
        if (nan.Count > 0)
            warn(file, $"{nan.Count} row(s) with NaN (first: row {nan[0] + 1})" +
                       (pytracking ? "" : val ? "; AO becomes NaN as in the GOT-10k toolkit" : "; counted as failures"));
        var negative = Enumerable.Range(0, boxes.Length).Where(i => boxes[i].Width < 0 || boxes[i].Height < 0).ToList();
        if (negative.Count > 0)
            warn(file, $"{negative.Count} row(s) with negative width or height (first: row {negative[0] + 1})");
    }

    private static (object Metrics, ReportScores Scores) EvaluateSequence(GtSequence seq, Loaded result,
        ReportBenchmark benchmark, ReportConvention conv)
    {
        var boxes = result.Repetitions[0];
        double? fps = SequenceFps(result.Times);
        switch (conv)
        {
            case ReportConvention.Pysot:
            {
                int[]? absent = seq.Visible?.Select(v => v ? 1 : 0).ToArray(); // pysot's LaSOT 'absent' = 1 when visible
                var m = OpeBenchmark.EvaluateSequence(new PysotVideo(seq.Name, seq.GroundTruth, absent), boxes, result.File);
                return (m, new ReportScores(m.Auc, m.Precision, m.NormPrecision, m.SuccessCurve[10], m.SuccessCurve[15],
                    m.SuccessCurve, m.PrecisionCurve, m.NormPrecisionCurve, fps));
            }
            case ReportConvention.Pytracking or ReportConvention.OSTrack:
            {
                var dataset = benchmark switch
                {
                    ReportBenchmark.Lasot => PytrackingDataset.Lasot,
                    ReportBenchmark.Uav123 => PytrackingDataset.Uav,
                    ReportBenchmark.Got10kVal => PytrackingDataset.Got10k,
                    _ => PytrackingDataset.Otb,
                };
                var pc = conv == ReportConvention.Pytracking ? PytrackingConvention.Pytracking : PytrackingConvention.OSTrack;
                var errors = SequenceErrors.Compute(seq.Name, boxes, seq.GroundTruth, dataset, pc, seq.Visible);
                var c = PytrackingSequenceCurves.FromErrors(seq.Name, errors, excludeInvalidFrames: false);
                return (c, new ReportScores(c.Auc / 100.0, c.PrecisionAt20, c.NormPrecisionAt020, c.SuccessCurve[10],
                    c.SuccessCurve[15], Doubles(c.SuccessCurve), Doubles(c.PrecisionCurve), Doubles(c.NormPrecisionCurve), fps));
            }
            default:
                if (seq.Got10k is { } g)
                {
                    var r = Got10kValReport.Evaluate([g], [result.Repetitions], [result.Times]);
                    return (r, Got10kValScores(r));
                }
                else
                {
                    var e = OpeReport.FrameErrors(Experiment(benchmark), seq.GroundTruth, boxes);
                    if (e.Iou.Count == 0) throw new ArgumentException("no frame left to evaluate");
                    var s = new OpeScores(
                        Fractions(ThresholdCounts.Greater(e.Iou.ToArray(), Got10kThresholds.OpeSuccess), e.Iou.Count),
                        Fractions(ThresholdCounts.AtMost(e.CenterError.ToArray(), Got10kThresholds.OpePrecision), e.Iou.Count),
                        e.NormalizedCenterError is { } ne
                            ? Fractions(ThresholdCounts.AtMost(ne.ToArray(), Got10kThresholds.LasotNormalizedPrecision), ne.Count)
                            : null,
                        fps ?? -1);
                    return (s, OpeScoresToReport(s, fps));
                }
        }
    }

    private static ReportScores Overall(List<(GtSequence Seq, Loaded Result, object Metrics, ReportScores Scores)> done,
        ReportConvention conv, ReportBenchmark benchmark)
    {
        // Speed as the GOT-10k toolkit's OPE report computes it: mean of the per-sequence speeds that exist.
        var speeds = done.Select(d => d.Scores.Fps).OfType<double>().ToArray();
        double? fps = speeds.Length > 0 ? NumpyReductions.PairwiseSum(speeds) / speeds.Length : null;
        switch (conv)
        {
            case ReportConvention.Pysot:
            {
                var o = OpeBenchmark.Overall(done.Select(d => (PysotSequenceMetrics)d.Metrics).ToList());
                return new ReportScores(o.Auc, o.Precision, o.NormPrecision, o.SuccessCurve[10], o.SuccessCurve[15],
                    o.SuccessCurve, o.PrecisionCurve, o.NormPrecisionCurve, fps);
            }
            case ReportConvention.Pytracking or ReportConvention.OSTrack:
            {
                var o = PytrackingOverall.Compute(done.Select(d => (PytrackingSequenceCurves)d.Metrics).ToList());
                return new ReportScores(o.Auc / 100.0, o.Precision / 100.0, o.NormPrecision / 100.0, o.Op50 / 100.0,
                    o.Op75 / 100.0, Percent(o.SuccessCurve), Percent(o.PrecisionCurve), Percent(o.NormPrecisionCurve), fps);
            }
            default:
                if (done[0].Seq.Got10k is not null)
                {
                    var r = Got10kValReport.Evaluate(done.Select(d => d.Seq.Got10k!).ToList(),
                        done.Select(d => (IReadOnlyList<IReadOnlyList<BoxXywh>>)d.Result.Repetitions).ToList(),
                        done.Select(d => (IReadOnlyList<double>)d.Result.Times).ToList());
                    return Got10kValScores(r);
                }
                else
                {
                    var rows = done.Select(d => (OpeScores)d.Metrics).ToList();
                    var s = new OpeScores(
                        NumpyReductions.MeanOfRows(rows.Select(r => r.SuccessCurve.ToArray()).ToList(), Got10kThresholds.OpeSuccess.Count),
                        NumpyReductions.MeanOfRows(rows.Select(r => r.PrecisionCurve.ToArray()).ToList(), Got10kThresholds.OpePrecision.Count),
                        Experiment(benchmark) == OpeExperiment.Lasot
                            ? NumpyReductions.MeanOfRows(rows.Select(r => r.NormalizedPrecisionCurve!.ToArray()).ToList(),
                                Got10kThresholds.LasotNormalizedPrecision.Count)
                            : null,
                        fps ?? -1);
                    return OpeScoresToReport(s, fps);
                }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static OpeExperiment Experiment(ReportBenchmark b) => b switch
    {
        ReportBenchmark.Uav123 => OpeExperiment.Uav123,
        ReportBenchmark.Lasot => OpeExperiment.Lasot,
        _ => OpeExperiment.Otb,
    };

    private static ReportScores OpeScoresToReport(OpeScores s, double? fps) =>
        new(s.SuccessScore, s.PrecisionScore, s.NormalizedPrecisionScore, s.SuccessCurve[10], s.SuccessCurve[15],
            s.SuccessCurve, s.PrecisionCurve, s.NormalizedPrecisionCurve, fps);

    private static ReportScores Got10kValScores(Got10kValResult r) =>
        new(r.AverageOverlap, null, null, r.SuccessRate, r.SuccessRate75, r.SuccessCurve, null, null,
            r.SpeedFps > 0 ? r.SpeedFps : null);

    private static double[] Fractions(int[] counts, int total) => counts.Select(c => (double)c / total).ToArray();

    private static double[] Doubles(IReadOnlyList<float> v) => v.Select(x => (double)x).ToArray();

    private static double[] Percent(IReadOnlyList<float> v) => v.Select(x => x / 100.0).ToArray();

    /// <summary>mean(1/t) over the times t &gt; 0 (NaN skipped); null when there is none.</summary>
    private static double? SequenceFps(double[] times)
    {
        var inverse = times.Where(t => t > 0).Select(t => 1.0 / t).ToArray();
        return inverse.Length > 0 ? NumpyReductions.Mean(inverse) : null;
    }

    private static bool HasNaN(BoxXywh b) =>
        double.IsNaN(b.X) || double.IsNaN(b.Y) || double.IsNaN(b.Width) || double.IsNaN(b.Height);

    private static ReportThresholds Thresholds(ReportBenchmark b, ReportConvention c) => c switch
    {
        ReportConvention.Pysot => new(PysotThresholds.Success, PysotThresholds.Precision, PysotThresholds.NormPrecision),
        ReportConvention.Pytracking or ReportConvention.OSTrack =>
            new(PytrackingThresholds.Overlap, PytrackingThresholds.Center, PytrackingThresholds.CenterNorm),
        _ when b == ReportBenchmark.Got10kVal => new(Got10kThresholds.Got10kSuccess, null, null),
        _ => new(Got10kThresholds.OpeSuccess, Got10kThresholds.OpePrecision,
            b == ReportBenchmark.Lasot ? Got10kThresholds.LasotNormalizedPrecision : null),
    };

    private static string Notes(ReportBenchmark b, ReportConvention c) => c switch
    {
        ReportConvention.Pysot =>
            "pysot OPEBenchmark: the tracker's own first row is evaluated; success = mean of 21 points (IoU > t); " +
            "precision at 20 px; normalised precision at 0.20; a result of another length than the ground truth is not evaluated." +
            (b == ReportBenchmark.Lasot ? " LaSOT: fully occluded / out-of-view frames are left out of the numerator." : ""),
        ReportConvention.Pytracking or ReportConvention.OSTrack =>
            $"{(c == ReportConvention.OSTrack ? "OSTrack lib/test/analysis" : "pytracking analysis")} (float32): first row := ground truth, " +
            "zero-size rows copy the previous box, short results are zero-padded; results with NaN or negative sizes are not evaluated; " +
            "success = mean of 21 points, precision at 20 px, normalised precision at 0.20.",
        _ when b == ReportBenchmark.Got10kVal =>
            "GOT-10k toolkit ExperimentGOT10k: frame 0 dropped, boxes clipped to the image, cover-0 frames excluded, frames pooled " +
            "over sequences and repetitions; 'AUC' is AO; SR0.5 / SR0.75; no precision.",
        _ => $"GOT-10k toolkit Experiment{(b == ReportBenchmark.Lasot ? "LaSOT" : b == ReportBenchmark.Uav123 ? "UAV123" : "OTB")}: " +
             "first row := ground truth, lengths truncated to the shorter; success = mean of 21 points, precision at 20 px" +
             (b == ReportBenchmark.Lasot ? "; normalised precision = mean of its 51-point curve." : "; no normalised precision."),
    };
}
