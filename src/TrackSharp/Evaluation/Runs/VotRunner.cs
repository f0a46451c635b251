using OpenCvSharp;
using TrackSharp.Data.Datasets;
using TrackSharp.Evaluation.Vot;
using TrackSharp.Tracking;

namespace TrackSharp.Evaluation.Runs;

/// <summary>
/// VOT supervised (reset-based, "baseline") evaluation as pysot runs it (<c>tools/test.py</c>, see
/// <see cref="VotResetLoop"/>): for every sequence a fresh tracker runs the reset loop against the raw ground-truth
/// polygons, the trajectory (codes 1/2/0 and <c>%.4f</c> boxes) and the times are written to
/// <see cref="VotResultLayout"/>, then the written files are read back exactly as pysot reads them
/// (<see cref="VotTrajectoryFile.ReadRepetitions"/>) and evaluated with <see cref="AccuracyRobustnessBenchmark"/>
/// (burn-in 10, bound (W, H)) and <see cref="EaoBenchmark"/> (skipping 5, bound (W-1, H-1), the plan's window).
/// <list type="bullet">
/// <item>Resume: a sequence whose trajectory and time files both exist with one line per frame is not run again
///   (unless <see cref="OpeRunOptions.Overwrite"/>). Files are written atomically, the trajectory last.</item>
/// <item>An unreadable frame that the loop needs, an invalid init region or a malformed ground-truth line fails
///   that sequence only, with the file and frame in the message.</item>
/// <item>Sequences run in parallel on <see cref="OpeRunOptions.Parallel"/> workers, each with its own tracker.</item>
/// </list>
/// The image size (overlap bounds, A/R and EAO bounds) is that of the first frame, as pysot's <c>VOTVideo</c> has it.
/// </summary>
public static class VotRunner
{
    /// <summary>Checks the tracker, selects the sequences, reads their ground-truth polygons and checks which are done.</summary>
    /// <exception cref="KeyNotFoundException">Unknown tracker or sequence (the message lists known names).</exception>
    /// <exception cref="DatasetFormatException">A malformed annotation (names file and line).</exception>
    /// <exception cref="FormatException">A ground-truth line that is no VOT region (names file and line).</exception>
    public static VotPlan Plan(BenchmarkDataset benchmark, ISequenceDataset dataset, OpeRunOptions options, EaoWindow? window = null)
    {
        var (trackerName, sequences) = RunSelection.Resolve(dataset, options);

        var layout = new VotResultLayout(Path.GetFullPath(options.OutputDirectory), trackerName);
        var planned = new List<VotPlannedSequence>(sequences.Count);
        foreach (var sequence in sequences)
        {
            int length = sequence.Length; // lists the frames and parses the annotation
            if (length == 0)
                throw new OpeRunException($"sequence '{sequence.Name}': no frames with ground truth ('{sequence.AnnotationPath}')");
            var gt = VotTrajectoryFile.Read(sequence.AnnotationPath);
            if (gt.Count < length)
                throw new OpeRunException($"sequence '{sequence.Name}': {gt.Count} ground-truth regions in " +
                                          $"'{sequence.AnnotationPath}' for {length} frames");
            int frames = Math.Min(length, options.MaxFrames ?? length);
            var regions = gt.Take(frames).ToArray();
            for (int i = 0; i < frames; i++)
                if (regions[i].IsSpecial)
                    throw new OpeRunException($"{sequence.AnnotationPath}:{i + 1}: '{regions[i]}' is a VOT code, not a ground-truth region");
            bool done = !options.Overwrite && layout.FilesOf(sequence.Name).All(f => OpeResultFiles.CountLines(f) == frames);
            planned.Add(new VotPlannedSequence(sequence, frames, regions, done));
        }
        return new VotPlan(benchmark, dataset, trackerName, layout, window ?? EaoWindow.Vot2018, planned);
    }

    /// <summary>Runs the plan: runs what is not done, evaluates everything that has results.
    /// <paramref name="sequenceDone"/> is called when a sequence is finished, run or resumed (from worker threads);
    /// <see cref="OpeRunOptions.SequenceDone"/> is not used.</summary>
    public static VotRunSummary Run(VotPlan plan, OpeRunOptions options, Action<VotSequenceResult>? sequenceDone = null)
    {
        var results = new VotSequenceResult?[plan.Sequences.Count];
        var runs = new VotTrackerRun?[plan.Sequences.Count];
        var trackerOptions = OpeRunner.EffectiveTrackerOptions(options);
        var failures = SequenceWorkers.RunAll(plan.Sequences.Select(s => s.Sequence.Name).ToList(), plan.SequencesToTrack > 0,
            options, trackerOptions, i =>
            {
                (results[i], runs[i]) = RunSequence(plan, plan.Sequences[i], options, trackerOptions);
                sequenceDone?.Invoke(results[i]!);
            });

        var done = results.Where(r => r is not null).Select(r => r!).ToList();
        var doneRuns = runs.Where(r => r is not null).Select(r => r!).ToList();
        AccuracyRobustnessResult? ar = null;
        EaoResult? eao = null;
        if (doneRuns.Count > 0)
        {
            ar = AccuracyRobustnessBenchmark.Evaluate(doneRuns);
            eao = EaoBenchmark.Evaluate(doneRuns, plan.Window);
        }
        return new VotRunSummary(
            plan.Tracker, plan.Benchmark.Name, plan.Dataset.Root, plan.Layout.Root, plan.Layout.TrackerFolder,
            options.MaxFrames, plan.Window, done, failures, ar, eao,
            done.Count > 0 ? done.Average(r => r.Fps) : 0);
    }

    private static (VotSequenceResult, VotTrackerRun) RunSequence(VotPlan plan, VotPlannedSequence item, OpeRunOptions options,
        TrackerOptions trackerOptions)
    {
        var sequence = item.Sequence;
        var layout = plan.Layout;
        var warnings = new List<string>();
        var (width, height) = ImageSize(sequence);
        double[] times;
        if (item.Resume)
        {
            times = OpeResultFiles.ReadTimes(layout.TimeFile(sequence.Name));
        }
        else
        {
            VotLoopResult loop;
            using (var tracker = options.Registry.Create(options.TrackerName, trackerOptions))
            {
                try
                {
                    loop = VotResetLoop.Run(tracker, item.GroundTruth, item.Frames, i => ReadFrame(sequence, i),
                        options.FrameDone, options.Cancellation);
                }
                catch (ArgumentException e)
                {
                    throw new OpeRunException($"sequence '{sequence.Name}' ('{sequence.AnnotationPath}'): {e.Message}", e);
                }
            }
            times = loop.Times;
            // The trajectory last: its presence with the right length (and the time file's) marks the sequence done.
            OpeResultFiles.WriteTimes(layout.TimeFile(sequence.Name), times);
            VotResetLoop.WriteTrajectory(layout.TrajectoryFile(sequence.Name), loop.Trajectory);
        }

        // Evaluate what is on disk, as pysot's VOTDataset would read it.
        var votSequence = new VotSequence(sequence.Name, width, height, item.GroundTruth);
        var run = new VotTrackerRun(votSequence, VotTrajectoryFile.ReadRepetitions(layout.Root, layout.Tracker, sequence.Name));
        if (run.Repetitions.Any(r => r.Count != item.Frames))
            throw new OpeRunException($"sequence '{sequence.Name}': a result file in '{layout.SequenceFolder(sequence.Name)}' " +
                                      $"does not have {item.Frames} lines (--overwrite to run it again)");
        var accuracy = AccuracyRobustnessBenchmark.EvaluateSequence(run);
        var result = new VotSequenceResult(sequence.Name, item.Frames, width, height, OpeResultFiles.Fps(times), item.Resume,
            VotStatistics.CalculateFailures(run.Repetitions[0]).Length, accuracy, warnings, layout.FilesOf(sequence.Name));
        return (result, run);
    }

    private static (int Width, int Height) ImageSize(TrackingSequence sequence)
    {
        try
        {
            return sequence.ImageSize;
        }
        catch (IOException e)
        {
            throw new OpeRunException($"sequence '{sequence.Name}': cannot read the image size ({e.Message})", e);
        }
    }

    private static Mat ReadFrame(TrackingSequence sequence, int index)
    {
        try
        {
            return sequence.ReadFrame(index);
        }
        catch (IOException e)
        {
            throw new OpeRunException($"sequence '{sequence.Name}': frame {index} '{sequence.FramePaths[index]}' is unreadable " +
                                      $"({e.Message}); the reset protocol needs every tracked frame", e);
        }
    }
}
