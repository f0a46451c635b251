using System.ComponentModel;
using System.Globalization;
using Serilog;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Geometry;
using TrackSharp.Imaging;
using TrackSharp.Tracking;

namespace TrackSharp.Cli.Commands;

/// <summary><c>tracksharp track</c>: track one or more targets through a video, image folder, list or camera.</summary>
[Description("Track targets through a video, image folder, list file, camera or stream; writes boxes, scores and an annotated video.")]
public sealed class TrackCommand(IAnsiConsole console) : Command<TrackSettings>
{
    public override int Execute(CommandContext context, TrackSettings settings, CancellationToken cancellation)
    {
        var boxes = settings.Boxes.Length > 0
            ? settings.Boxes.Select(ParseBox).ToList()
            : new List<BoxXywh> { InitialBoxFile.Read(settings.Init!) };
        string output = settings.Out ?? Path.Combine("out", "track-" + OutputName(settings.Input!));
        // Unreadable frames are reported as warnings and marked in boxes.txt; the run itself succeeded.
        TrackingVerb.Run(console, settings, settings.Input!, boxes, output, cancellation);
        return ExitCodes.Success;
    }

    private static BoxXywh ParseBox(string text)
    {
        try
        {
            return BoxXywh.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"--box: {e.Message}");
        }
    }

    private static string OutputName(string input)
    {
        string name = Path.GetFileNameWithoutExtension(input.TrimEnd('/', '\\'));
        return string.IsNullOrEmpty(name) || input.Contains("://") ? "stream" : name;
    }
}

/// <summary>What <c>track</c> and <c>demo</c> share: build the trackers, run with a progress bar, report.</summary>
internal static class TrackingVerb
{
    /// <summary>Trackers that take <c>--config</c>.</summary>
    private static readonly string[] TrackersWithConfig = ["ostrack", "trdimp", "trsiam"];

    public static TrackingRunSummary Run(IAnsiConsole console, TrackerChoiceSettings settings, string input,
        IReadOnlyList<BoxXywh> boxes, string outputDirectory, CancellationToken cancellation)
    {
        var options = new TrackerOptions
        {
            Version = settings.ModelVersion,
            WeightsPath = settings.Weights,
            Threads = settings.Threads,
            LostThreshold = settings.LostThreshold,
            ConfigPath = settings.Config,
        };
        if (settings.Config is not null && !TrackersWithConfig.Contains(settings.Tracker))
            throw new ArgumentException($"--config applies to {string.Join(", ", TrackersWithConfig)}; '{settings.Tracker}' reads its settings " +
                                        "from its weights (or a config.yaml beside them)");
        if (!TrackerRegistry.Default.Contains(settings.Tracker))
            throw new KeyNotFoundException($"unknown tracker '{settings.Tracker}'; known trackers: " +
                string.Join(", ", TrackerRegistry.Default.Entries.Select(e => e.Name)));

        using var source = FrameSources.Open(input);
        var targets = new List<TrackingTarget>();
        try
        {
            foreach (var box in boxes)
                targets.Add(new TrackingTarget(TrackerRegistry.Default.Create(settings.Tracker, options), box));
            Log.Information("tracking {Count} target(s) with {Tracker} on {Source}", targets.Count,
                targets[0].Tracker.Name, source.Description);

            var summary = Progress.Run(console, $"{targets[0].Tracker.Name} on {Path.GetFileName(input.TrimEnd('/'))}",
                source.Count is { } n ? Math.Min(n, settings.MaxFrames ?? n) : settings.MaxFrames, counter =>
                    TrackingRun.Run(source, targets, new TrackingRunOptions
                    {
                        OutputDirectory = outputDirectory,
                        VideoFileName = settings.NoVideo ? null : "annotated.mp4",
                        MaxFrames = settings.MaxFrames,
                        Cancellation = cancellation,
                        AnnotatedFrame = settings.Show ? LiveWindow.Create(source.Description) : null,
                        Progress = (frames, _) =>
                        {
                            counter.Increment();
                            if (settings.Debug is { } debug) DebugImages.Save(debug, targets, frames - 1);
                        },
                    }));
            Report(console, summary, outputDirectory);
            return summary;
        }
        finally
        {
            foreach (var target in targets) target.Tracker.Dispose();
        }
    }

    private static void Report(IAnsiConsole console, TrackingRunSummary summary, string outputDirectory)
    {
        foreach (var warning in summary.Warnings)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
            Log.Debug("warning: {Warning}", warning);
        }
        var ci = CultureInfo.InvariantCulture;
        string lost = string.Join(", ", summary.LostFrames.Select((l, i) =>
            summary.LostFrames.Count == 1 ? $"{l.Count} lost" : $"target {i + 1}: {l.Count} lost"));
        console.MarkupLine(Markup.Escape(
            $"{summary.Frames} frames, {summary.TrackerFps.ToString("F1", ci)} FPS tracker " +
            $"({summary.TrackMillisecondsPerFrame.ToString("F2", ci)} ms/frame per target), " +
            $"{summary.OverallFps.ToString("F1", ci)} FPS overall, {lost}" +
            (summary.SkippedFrames.Count > 0 ? $", {summary.SkippedFrames.Count} unreadable frame(s) skipped" : "")));
        console.MarkupLine(Markup.Escape($"boxes: {string.Join(", ", summary.BoxFiles)}"));
        if (summary.VideoFile is { } video)
            console.MarkupLine(Markup.Escape($"annotated video: {Path.GetFullPath(video)}"));
        console.MarkupLine(Markup.Escape($"results in {Path.GetFullPath(outputDirectory)}"));
    }
}

/// <summary><c>--debug DIR</c>: after each frame, the images of every tracker that offers them
/// (<see cref="ITrackerDebugImages"/>) as <c>DIR/NNNNNN_[tK_]NAME.png</c> (frame index of the run, 0 = the first frame;
/// the target number only when there are several).</summary>
internal static class DebugImages
{
    public static void Save(string directory, IReadOnlyList<TrackingTarget> targets, int frame)
    {
        Directory.CreateDirectory(directory);
        for (int t = 0; t < targets.Count; t++)
        {
            if (targets[t].Tracker is not ITrackerDebugImages view)
            {
                if (frame == 0) Log.Warning("--debug: tracker {Tracker} has no debug images", targets[t].Tracker.Name);
                continue;
            }
            foreach (var (name, image) in view.DebugImages())
                using (image)
                {
                    string file = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture,
                        $"{frame:D6}_{(targets.Count > 1 ? $"t{t + 1}_" : "")}{name}.png"));
                    if (!image.ImWrite(file)) throw new IOException($"--debug: could not write '{file}'");
                }
        }
    }
}
