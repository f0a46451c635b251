using System.Diagnostics;
using OpenCvSharp;
using TrackSharp.Data.Datasets;
using TrackSharp.Evaluation.Pysot;
using TrackSharp.Evaluation.TrackingNet;
using TrackSharp.Geometry;
using TrackSharp.Tracking;

namespace TrackSharp.Evaluation.Runs;

/// <summary>
/// One-pass evaluation (OPE): for every sequence a fresh tracker is initialised on frame 0 with the first
/// ground-truth box and tracks every later frame; boxes and per-frame times are written in the pysot/pytracking
/// layout (and GOT-10k's for <c>got10k-val</c>, see <see cref="OpeResultLayout"/>), then evaluated with pysot's
/// OPE metrics (<see cref="OpeBenchmark"/>: the written row 0, i.e. the init box, is evaluated as pysot does).
/// <list type="bullet">
/// <item>Resume: a sequence whose result files all exist with one line per frame is not tracked again; its files
///   are read back and evaluated (unless <see cref="OpeRunOptions.Overwrite"/>). Files are written atomically, so
///   an interrupted run leaves only complete files.</item>
/// <item>An unreadable frame after the first is reported (file and frame), the last box is repeated and its time
///   is NaN; an unreadable first frame or an invalid first box fails that sequence only.</item>
/// <item>Sequences run in parallel on <see cref="OpeRunOptions.Parallel"/> workers; each sequence has its own
///   tracker, so results do not depend on the worker count for a deterministic tracker.</item>
/// </list>
/// Times are those of <c>Initialize</c>/<c>Track</c> alone (decoding excluded), as pytracking measures them.
/// </summary>
public static class OpeRunner
{
    /// <summary>Opens nothing but what is needed to know the work: checks the tracker (one instance is created
    /// and disposed), selects the sequences, reads their ground truth and checks which are already done.</summary>
    /// <exception cref="KeyNotFoundException">Unknown tracker or sequence (the message lists known names).</exception>
    /// <exception cref="DatasetFormatException">A malformed annotation (names file and line).</exception>
    public static OpePlan Plan(BenchmarkDataset benchmark, ISequenceDataset dataset, OpeRunOptions options)
    {
        var (trackerName, sequences) = RunSelection.Resolve(dataset, options);

        var layout = new OpeResultLayout(Path.GetFullPath(options.OutputDirectory), trackerName);
        int repetitions = Repetitions(benchmark, options);
        var planned = new List<OpePlannedSequence>(sequences.Count);
        foreach (var sequence in sequences)
        {
            int length = sequence.GroundTruth.Count; // parses the annotation: malformed lines fail here, by file and line
            if (length == 0)
                throw new OpeRunException($"sequence '{sequence.Name}': no frames with ground truth ('{sequence.AnnotationPath}')");
            int frames = Math.Min(length, options.MaxFrames ?? length);
            bool done = !options.Overwrite && layout.FilesOf(sequence.Name, benchmark.WritesGot10kLayout, repetitions)
                .All(f => OpeResultFiles.CountLines(f) == frames);
            planned.Add(new OpePlannedSequence(sequence, frames, done));
        }
        return new OpePlan(benchmark, dataset, trackerName, layout, planned, repetitions);
    }

    /// <summary>
    /// Runs per sequence: 1 outside the GOT-10k layouts; there <see cref="OpeRunOptions.Repetitions"/> when given, else
    /// the GOT-10k toolkit's rule (<c>ExperimentGOT10k.run</c>: three repetitions, stopping after the first for a tracker
    /// whose <c>is_deterministic</c> is set; here the registry's <see cref="TrackerRegistry.IsDeterministic"/>).
    /// </summary>
    public static int Repetitions(BenchmarkDataset benchmark, OpeRunOptions options)
    {
        if (options.Repetitions is < 1) throw new ArgumentOutOfRangeException(nameof(options), "Repetitions must be 1 or more");
        if (!benchmark.WritesGot10kLayout) return 1;
        return options.Repetitions ?? (options.Registry.IsDeterministic(options.TrackerName) ? 1 : 3);
    }

    /// <summary>Runs the plan: tracks what is not done, evaluates everything; for TrackingNet and the GOT-10k test split,
    /// when every sequence has results, packs them into the server's zip (<see cref="TrackingNetSubmission"/>,
    /// <see cref="Got10kSubmission"/>).</summary>
    public static OpeRunSummary Run(OpePlan plan, OpeRunOptions options)
    {
        var results = new OpeSequenceResult?[plan.Sequences.Count];
        var trackerOptions = EffectiveTrackerOptions(options);
        var failures = SequenceWorkers.RunAll(plan.Sequences.Select(s => s.Sequence.Name).ToList(), plan.SequencesToTrack > 0,
            options, trackerOptions, i =>
            {
                results[i] = RunSequence(plan, plan.Sequences[i], options, trackerOptions);
                options.SequenceDone?.Invoke(results[i]!);
            });

        var done = results.Where(r => r is not null).Select(r => r!).ToList();
        var evaluated = done.Where(r => r.Metrics is not null).Select(r => r.Metrics!).ToList();
        var overall = evaluated.Count > 0 ? OpeBenchmark.Overall(evaluated) : null;
        string? submission = null;
        if (plan.Benchmark.WritesTrackingNetSubmission && failures.Count == 0 && done.Count == plan.Sequences.Count)
        {
            // From the result files (4 decimals) to the server's 2, as pytracking packs its own result files.
            submission = plan.Layout.TrackingNetSubmission;
            TrackingNetSubmission.Write(submission, plan.Sequences.Select(s =>
                (s.Sequence.Name, (IReadOnlyList<BoxXywh>)OpeResultFiles.ReadBoxes(plan.Layout.BoxFile(s.Sequence.Name)))));
        }
        if (plan.Benchmark.WritesGot10kSubmission && failures.Count == 0 && done.Count == plan.Sequences.Count)
        {
            submission = plan.Layout.Got10kSubmission;
            Got10kSubmission.Write(submission, plan.Layout, plan.Sequences.Select(s => s.Sequence.Name), plan.Repetitions);
        }
        return new OpeRunSummary(
            plan.Tracker, plan.Benchmark.Name, plan.Dataset.Root, plan.Layout.TrackerFolder, options.MaxFrames,
            done, failures, overall,
            done.Count > 0 ? done.Average(r => r.Fps) : 0, submission);
    }

    /// <summary>With several workers and no thread count given, one backend thread per tracker.</summary>
    public static TrackerOptions EffectiveTrackerOptions(OpeRunOptions options) =>
        options.Parallel > 1 && options.TrackerOptions.Threads == 0
            ? options.TrackerOptions with { Threads = 1 }
            : options.TrackerOptions;

    private static OpeSequenceResult RunSequence(OpePlan plan, OpePlannedSequence item, OpeRunOptions options,
        TrackerOptions trackerOptions)
    {
        var sequence = item.Sequence;
        var layout = plan.Layout;
        bool got10k = plan.Benchmark.WritesGot10kLayout;
        var warnings = new List<string>();
        BoxXywh[] boxes;
        double[] times;
        if (item.Resume)
        {
            boxes = OpeResultFiles.ReadBoxes(layout.BoxFile(sequence.Name));
            times = OpeResultFiles.ReadTimes(layout.TimeFile(sequence.Name));
        }
        else
        {
            int repetitions = got10k ? plan.Repetitions : 1;
            var runs = new List<(BoxXywh[] Boxes, double[] Times)>(repetitions);
            for (int r = 0; r < repetitions; r++)
                runs.Add(Track(sequence, item.Frames, options, trackerOptions, w =>
                {
                    if (warnings.Contains(w)) return; // the same unreadable frame in every repetition
                    warnings.Add(w);
                    options.Warning?.Invoke(w);
                }));
            (boxes, times) = runs[0];
            // The GOT-10k files first: the pysot box file is the one whose presence marks the sequence done.
            if (got10k)
            {
                for (int r = 0; r < repetitions; r++)
                    Got10kResultFiles.WriteBoxes(layout.Got10kBoxFile(sequence.Name, r + 1), runs[r].Boxes);
                Got10kResultFiles.WriteTimes(layout.Got10kTimeFile(sequence.Name), runs.Select(x => (IReadOnlyList<double>)x.Times).ToList());
            }
            OpeResultFiles.WriteTimes(layout.TimeFile(sequence.Name), times);
            OpeResultFiles.WriteBoxes(layout.BoxFile(sequence.Name), boxes);
        }

        var metrics = HasGroundTruthAfterFirstFrame(sequence, item.Frames)
            ? OpeBenchmark.EvaluateSequence(Video(sequence, item.Frames, plan.Benchmark), boxes, layout.BoxFile(sequence.Name))
            : null;
        return new OpeSequenceResult(sequence.Name, item.Frames, OpeResultFiles.Fps(times), item.Resume, warnings,
            layout.FilesOf(sequence.Name, got10k, plan.Repetitions), metrics);
    }

    /// <summary>False for a test-split sequence (first box only, later boxes unknown): nothing to score it against.</summary>
    private static bool HasGroundTruthAfterFirstFrame(TrackingSequence sequence, int frames)
    {
        if (frames == 1) return true;
        for (int i = 1; i < frames; i++)
        {
            var b = sequence.GroundTruth[i];
            if (!double.IsNaN(b.X) || !double.IsNaN(b.Y) || !double.IsNaN(b.Width) || !double.IsNaN(b.Height)) return true;
        }
        return false;
    }

    /// <summary>The ground truth of the evaluated frames as pysot sees it (LaSOT: 1 = target visible).</summary>
    private static PysotVideo Video(TrackingSequence sequence, int frames, BenchmarkDataset benchmark)
    {
        var gt = sequence.GroundTruth.Take(frames).ToArray();
        int[]? present = null;
        if (benchmark.UsesVisibility && (sequence.Absent is not null || sequence.FullOcclusion is not null))
            present = Enumerable.Range(0, frames)
                .Select(i => sequence.Absent?[i] == true || sequence.FullOcclusion?[i] == true ? 0 : 1).ToArray();
        return new PysotVideo(sequence.Name, gt, present);
    }

    private static (BoxXywh[] Boxes, double[] Times) Track(TrackingSequence sequence, int frames, OpeRunOptions options,
        TrackerOptions trackerOptions, Action<string> warn)
    {
        var boxes = new BoxXywh[frames];
        var times = new double[frames];
        var initBox = sequence.GroundTruth[0];
        if (!initBox.IsValid)
            throw new OpeRunException($"sequence '{sequence.Name}': the first ground-truth box ({initBox}) in " +
                                      $"'{sequence.AnnotationPath}' is not a valid box; cannot initialise");
        using var tracker = options.Registry.Create(options.TrackerName, trackerOptions);
        var clock = new Stopwatch();
        using (var first = ReadFirst(sequence))
        {
            clock.Restart();
            try
            {
                tracker.Initialize(first, initBox);
            }
            catch (ArgumentException e)
            {
                throw new OpeRunException($"sequence '{sequence.Name}': cannot initialise on '{sequence.FramePaths[0]}' " +
                                          $"with {initBox}: {e.Message}", e);
            }
            times[0] = clock.Elapsed.TotalSeconds;
        }
        boxes[0] = initBox;
        options.FrameDone?.Invoke();
        for (int i = 1; i < frames; i++)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            Mat frame;
            try
            {
                frame = sequence.ReadFrame(i);
            }
            catch (IOException e)
            {
                warn($"{sequence.FramePaths[i]}: sequence '{sequence.Name}' frame {i} unreadable ({e.Message}); the last box is repeated");
                boxes[i] = boxes[i - 1];
                times[i] = double.NaN;
                options.FrameDone?.Invoke();
                continue;
            }
            using (frame)
            {
                clock.Restart();
                var result = tracker.Track(frame);
                times[i] = clock.Elapsed.TotalSeconds;
                boxes[i] = result.Box;
            }
            options.FrameDone?.Invoke();
        }
        return (boxes, times);
    }

    private static Mat ReadFirst(TrackingSequence sequence)
    {
        try
        {
            return sequence.ReadFrame(0);
        }
        catch (IOException e)
        {
            throw new OpeRunException($"sequence '{sequence.Name}': first frame '{sequence.FramePaths[0]}' is unreadable " +
                                      $"({e.Message}); cannot initialise", e);
        }
    }
}
