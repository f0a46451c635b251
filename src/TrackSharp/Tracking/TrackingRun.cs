using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Imaging;

namespace TrackSharp.Tracking;

/// <summary>One target of a run: its tracker instance and its first-frame box.</summary>
public sealed record TrackingTarget(ITracker Tracker, BoxXywh InitialBox);

/// <summary>Where and what a <see cref="TrackingRun"/> writes.</summary>
public sealed record TrackingRunOptions
{
    /// <summary>Output folder, created if missing.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>Annotated video file name inside the output folder (.mp4 or .avi); null writes no video.</summary>
    public string? VideoFileName { get; init; } = "annotated.mp4";
    /// <summary>Stop after this many frames (the first frame included); null runs to the end.</summary>
    public int? MaxFrames { get; init; }
    /// <summary>Frame rate of the annotated video when the source does not say (image folders).</summary>
    public double DefaultFps { get; init; } = 25;
    /// <summary>Stops the run after the current frame (a camera or stream has no end); what was tracked is written.</summary>
    public CancellationToken Cancellation { get; init; }
    /// <summary>Receives each annotated frame (e.g. to show it in a window); return false to stop the run.</summary>
    public Func<Mat, bool>? AnnotatedFrame { get; init; }
    /// <summary>Receives (frames done, total frames if known) after every frame.</summary>
    public Action<int, int?>? Progress { get; init; }
}

/// <summary>What a run did, also written as <c>summary.json</c>.</summary>
public sealed record TrackingRunSummary
{
    public required string Source { get; init; }
    public required IReadOnlyList<string> Trackers { get; init; }
    public int Frames { get; init; }
    public IReadOnlyList<int> SkippedFrames { get; init; } = Array.Empty<int>();
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();
    /// <summary>Per target, the indices of frames whose result was flagged TargetLost.</summary>
    public IReadOnlyList<IReadOnlyList<int>> LostFrames { get; init; } = Array.Empty<IReadOnlyList<int>>();
    /// <summary>Mean time of one Track() call over all targets and tracked frames, in milliseconds.</summary>
    public double TrackMillisecondsPerFrame { get; init; }
    /// <summary>Frames per second of the trackers alone (all targets of a frame together).</summary>
    public double TrackerFps { get; init; }
    /// <summary>Frames per second of the whole loop: decoding, tracking, drawing and writing.</summary>
    public double OverallFps { get; init; }
    public IReadOnlyList<string> BoxFiles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> ScoreFiles { get; init; } = Array.Empty<string>();
    public string? VideoFile { get; init; }
}

/// <summary>
/// Runs one tracker per target over a frame source and writes, per target, <c>boxes.txt</c> (x,y,w,h per frame,
/// the given box first) and <c>scores.txt</c> (the tracker's confidence per frame, 1 for the first), named
/// <c>boxes_&lt;k&gt;.txt</c> / <c>scores_&lt;k&gt;.txt</c> (k from 1) when there are several targets, plus the
/// annotated video and <c>summary.json</c>. A frame that cannot be decoded is reported in the summary's
/// warnings, skipped by the trackers, and written as <c>NaN,NaN,NaN,NaN</c> / <c>NaN</c> so that line
/// numbers stay frame numbers. Files appear only complete (written aside, then renamed).
/// </summary>
public static class TrackingRun
{
    public const string MissingLine = "NaN,NaN,NaN,NaN";

    public static TrackingRunSummary Run(IFrameSource source, IReadOnlyList<TrackingTarget> targets, TrackingRunOptions options)
    {
        if (targets.Count == 0) throw new ArgumentException("at least one target is needed");
        Directory.CreateDirectory(options.OutputDirectory);
        var boxes = targets.Select(_ => new StringBuilder()).ToArray();
        var scores = targets.Select(_ => new StringBuilder()).ToArray();
        var lost = targets.Select(_ => new List<int>()).ToArray();
        var skipped = new List<int>();
        var warnings = new List<string>();
        var last = new TrackResult[targets.Count];
        string? videoPath = options.VideoFileName is null ? null : Path.Combine(options.OutputDirectory, options.VideoFileName);
        using var sink = videoPath is null ? null : new VideoSink(videoPath, source.Fps ?? options.DefaultFps);
        var trackTime = new Stopwatch();
        var wall = Stopwatch.StartNew();
        int frames = 0, tracked = 0;
        bool initialised = false;

        foreach (var frame in source.Frames())
        {
            using (frame)
            {
                if (options.MaxFrames is { } max && frames >= max) break;
                if (options.Cancellation.IsCancellationRequested && initialised) break;
                if (!frame.IsValid)
                {
                    if (!initialised)
                        throw new FrameSourceException(frame.SourcePath,
                            $"first frame (index {frame.Index}) of {frame.SourcePath} is unreadable: {frame.Error}; cannot initialise");
                    warnings.Add($"{frame.SourcePath}: frame {frame.Index} skipped: {frame.Error}");
                    skipped.Add(frame.Index);
                    foreach (var (b, s) in boxes.Zip(scores)) { b.AppendLine(MissingLine); s.AppendLine("NaN"); }
                    frames++;
                    options.Progress?.Invoke(frames, source.Count);
                    continue;
                }

                var image = frame.Image!;
                for (int t = 0; t < targets.Count; t++)
                {
                    if (!initialised)
                    {
                        try
                        {
                            targets[t].Tracker.Initialize(image, targets[t].InitialBox);
                        }
                        catch (ArgumentException e)
                        {
                            throw new ArgumentException($"target {t + 1} ({targets[t].InitialBox}) on {frame.SourcePath} frame {frame.Index}: {e.Message}", e);
                        }
                        last[t] = new TrackResult(targets[t].InitialBox, 1, false);
                    }
                    else
                    {
                        trackTime.Start();
                        last[t] = targets[t].Tracker.Track(image);
                        trackTime.Stop();
                        if (last[t].TargetLost) lost[t].Add(frame.Index);
                    }
                    boxes[t].AppendLine(last[t].Box.ToString());
                    scores[t].AppendLine(last[t].Score.ToString("0.######", CultureInfo.InvariantCulture));
                }
                if (initialised) tracked++;
                initialised = true;

                bool keepGoing = true;
                if (sink is not null || options.AnnotatedFrame is not null)
                {
                    using var canvas = image.Clone();
                    for (int t = 0; t < targets.Count; t++)
                        Annotator.DrawTarget(canvas, last[t].Box, t, targets[t].Tracker.Name, last[t].Score, last[t].TargetLost);
                    double? fps = tracked > 0 ? tracked / trackTime.Elapsed.TotalSeconds : null;
                    Annotator.DrawFrameInfo(canvas, frame.Index, fps, source.Count);
                    sink?.Write(canvas);
                    keepGoing = options.AnnotatedFrame?.Invoke(canvas) ?? true;
                }
                frames++;
                options.Progress?.Invoke(frames, source.Count);
                if (!keepGoing) break;
            }
        }
        if (!initialised) throw new FrameSourceException(source.Description, $"{source.Description} gave no readable frame");
        sink?.Close();

        var boxFiles = new List<string>();
        var scoreFiles = new List<string>();
        for (int t = 0; t < targets.Count; t++)
        {
            string suffix = targets.Count == 1 ? "" : $"_{t + 1}";
            boxFiles.Add(WriteAtomically(Path.Combine(options.OutputDirectory, $"boxes{suffix}.txt"), boxes[t].ToString()));
            scoreFiles.Add(WriteAtomically(Path.Combine(options.OutputDirectory, $"scores{suffix}.txt"), scores[t].ToString()));
        }
        double trackSeconds = trackTime.Elapsed.TotalSeconds;
        var summary = new TrackingRunSummary
        {
            Source = source.Description,
            Trackers = targets.Select(t => t.Tracker.Name).ToList(),
            Frames = frames,
            SkippedFrames = skipped,
            Warnings = warnings,
            LostFrames = lost,
            TrackMillisecondsPerFrame = tracked == 0 ? 0 : trackSeconds * 1000 / (tracked * targets.Count),
            TrackerFps = tracked == 0 || trackSeconds == 0 ? 0 : tracked / trackSeconds,
            OverallFps = frames / wall.Elapsed.TotalSeconds,
            BoxFiles = boxFiles,
            ScoreFiles = scoreFiles,
            VideoFile = sink is { FramesWritten: > 0 } ? videoPath : null,
        };
        WriteAtomically(Path.Combine(options.OutputDirectory, "summary.json"),
            JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
        return summary;
    }

    private static string WriteAtomically(string path, string text)
    {
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        return path;
    }
}
