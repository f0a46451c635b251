using System.Globalization;
using Serilog;
using Spectre.Console;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Geometry;
using TrackSharp.Imaging;
using TrackSharp.Tracking;
using static TrackSharp.Cli.Infrastructure.Invariant;

namespace TrackSharp.Cli.Commands;

/// <summary>The video a tracker bench runs on, decoded into memory, with its first-frame box.</summary>
/// <param name="Path">The --video path, or the shipped sample.</param>
/// <param name="Frames">The decoded frames (owned: dispose the <see cref="TrackerBenchVideo"/>).</param>
public sealed record TrackerBenchVideo(string Path, BoxXywh Box, DecodedFrames Frames) : IDisposable
{
    public void Dispose() => Frames.Dispose();
}

/// <summary>
/// The steps that <c>bench siamfcpp</c>, <c>bench siamban</c> and <c>bench ostrack</c> (and, for the video, the measuring and
/// the result table, <c>bench trdimp</c>; for the video, <c>bench nanotrack</c>) share: find the config,
/// check the weights, decode the video, time Track() at each --threads count and print the result table. Each
/// command keeps what is its family's own (reading the config, building the tracker, the report's extra fields),
/// so one change to the measuring or the table reaches every family.
/// </summary>
internal static class TrackerBenchSteps
{
    /// <summary>--config, or <paramref name="defaultConfig"/> found from the current or the application's directory.</summary>
    /// <exception cref="FileNotFoundException">No --config and the default config is not found.</exception>
    public static string ResolveConfig(string? config, string defaultConfig) =>
        config ?? TrackerBenchmark.FindShipped(defaultConfig)
        ?? throw new FileNotFoundException($"the config '{defaultConfig}' was not found in the current " +
                                           "directory, the application's directory or their parents; pass --config FILE",
            defaultConfig);

    /// <summary>Fails early, before the video is decoded, when --weights names a missing file.</summary>
    /// <exception cref="FileNotFoundException">The weights file does not exist.</exception>
    public static void RequireWeightsFile(string? weights)
    {
        if (weights is { } path && !File.Exists(path))
            throw new FileNotFoundException($"weights file '{path}' does not exist", path);
    }

    /// <summary>
    /// Opens --video (or the sample), resolves --box and decodes the <paramref name="warmup"/> + 1 +
    /// <paramref name="frames"/> frames the measurement needs (a shorter video is looped by the measurement).
    /// </summary>
    /// <param name="logLooping">Log (information) that a too short video will be looped.</param>
    /// <param name="videoOption">--video, or null for the shipped sample.</param>
    /// <param name="boxOption">--box, or null for the sample's own box.</param>
    public static TrackerBenchVideo DecodeVideo(IAnsiConsole console, string? videoOption, string? boxOption, int warmup,
        int frames, bool logLooping)
    {
        string videoPath = TrackerBenchmark.ResolveVideo(videoOption);
        using var source = FrameSources.Open(videoPath); // names the path when it is missing or unreadable
        var box = TrackerBenchmark.ResolveBox(boxOption, videoPath);
        string videoName = Path.GetFileName(Path.TrimEndingDirectorySeparator(videoPath));
        int needed = warmup + 1 + frames;
        var video = Progress.Run(console, $"decoding {videoName}", source.Count is int n ? Math.Min(n, needed) : needed,
            p => TrackerBenchmark.Decode(source, needed, () => p.Increment(), warn: line => Log.Warning("{Line}", line)));
        if (logLooping && needed > video.Count)
            Log.Information("{Video} has {Count} frames: looping it for {Needed} ({Warmup} warm-up + {Frames} timed after frame 0)",
                videoName, video.Count, needed, warmup, frames);
        return new TrackerBenchVideo(videoPath, box, video);
    }

    /// <summary>Times <paramref name="frames"/> Track() calls of tracker <paramref name="name"/> (TorchSharp backend)
    /// at each --threads count, with a progress bar per count.</summary>
    public static List<TrackerBenchResult> MeasureEachThreadCount(IAnsiConsole console, TrackerBenchSettings settings,
        string name, TrackerBenchVideo video, int warmup, int frames, TrackerRegistry registry, CancellationToken cancellation)
    {
        var results = new List<TrackerBenchResult>();
        foreach (int threads in settings.ParseThreads())
        {
            cancellation.ThrowIfCancellationRequested();
            var config = new TrackerBenchConfig(name, "torchsharp", threads);
            var times = Progress.Run(console, config.Label, frames,
                p => TrackerBenchmark.Measure(config, video.Frames, video.Box, warmup, frames, () => p.Increment(), registry));
            results.Add(TrackerBenchmark.Summarize(config, times));
        }
        return results;
    }

    /// <summary>
    /// Prints the result table (one row per thread count, the Python figure and the ratio coloured by the goal where
    /// a reference exists) and the lines on weights, config, goal and --quick under it.
    /// </summary>
    /// <param name="title">The table title, already markup-escaped.</param>
    /// <param name="pythonMsPerFrame">The Python median ms per frame, keyed by thread count.</param>
    /// <param name="weights">The --weights file, or null for the seeded random initialisation.</param>
    /// <param name="seed">The seed of the random initialisation used without --weights.</param>
    /// <param name="referenceNetwork">The network the Python figures exist for, named when there is no ratio.</param>
    public static void PrintTable(IAnsiConsole console, string title, TrackerBenchReport report,
        IReadOnlyDictionary<string, double> pythonMsPerFrame, string? weights, int seed, string configPath, string referenceNetwork)
    {
        PrintResultTable(console, title, report, pythonMsPerFrame);
        console.MarkupLine(Markup.Escape(weights is null
            ? $"weights: none given, seeded random initialisation (seed {seed}); speed does not depend on them"
            : $"weights: {weights}"));
        console.MarkupLine(Markup.Escape($"config: {configPath}; goal: ratio <= {F(report.GoalMaxRatio, "F1")} of the Python median"));
        if (report.Ratios.Count == 0)
            console.MarkupLine($"[grey]Python figures exist for the {Markup.Escape(referenceNetwork)} network only: no ratio for this config[/]");
        if (report.Quick) console.MarkupLine("[grey]--quick: few frames, figures are indicative only[/]");
    }

    /// <summary>The result table alone: one row per thread count with median, mean, p90 and FPS, and the Python
    /// figure and the ratio (green when the goal is met, red otherwise) where the report has a ratio.</summary>
    /// <param name="title">The table title, already markup-escaped.</param>
    /// <param name="pythonMsPerFrame">The Python median ms per frame, keyed by thread count.</param>
    /// <param name="fpsFormat">The format of the FPS column (bench trdimp, at about 1 FPS, shows two decimals).</param>
    public static void PrintResultTable(IAnsiConsole console, string title, TrackerBenchReport report,
        IReadOnlyDictionary<string, double> pythonMsPerFrame, string fpsFormat = "F1")
    {
        var table = new Table()
            .Title(title)
            .AddColumn(new TableColumn("threads").RightAligned()).AddColumn(new TableColumn("median ms").RightAligned())
            .AddColumn(new TableColumn("mean ms").RightAligned()).AddColumn(new TableColumn("p90 ms").RightAligned())
            .AddColumn(new TableColumn("FPS").RightAligned()).AddColumn(new TableColumn("Python ms").RightAligned())
            .AddColumn(new TableColumn("ratio").RightAligned());
        foreach (var r in report.Results)
        {
            string key = r.Threads.ToString(CultureInfo.InvariantCulture);
            bool hasRatio = report.Ratios.TryGetValue(key, out double ratio);
            table.AddRow(key, F(r.MsPerFrame, "F1"), F(r.MeanMs, "F1"), F(r.P90Ms, "F1"), F(r.Fps, fpsFormat),
                hasRatio ? F(pythonMsPerFrame[key], "F0") : "-",
                hasRatio ? (report.GoalMet[key] ? "[green]" : "[red]") + F(ratio, "F2") + "[/]" : "-");
        }
        console.Write(table);
    }

    /// <summary>The "on VIDEO, N timed frames" part of a table title (markup-escaped), with the looped note.</summary>
    public static string VideoAndFrames(TrackerBenchReport report) =>
        $"on {Markup.Escape(Path.GetFileName(report.Video))}, {report.Frames} timed frames{LoopedNote(report.Wrapped, report.VideoFrames)}";

    /// <summary>The " (video looped, N frames)" note of a table title, empty when the video was long enough.</summary>
    public static string LoopedNote(bool wrapped, int videoFrames) => wrapped ? $" (video looped, {videoFrames} frames)" : "";
}
