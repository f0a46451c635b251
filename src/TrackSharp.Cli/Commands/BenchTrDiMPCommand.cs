using System.ComponentModel;
using System.Globalization;
using Serilog;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Imaging;
using TrackSharp.Trackers.TrDiMP;
using static TrackSharp.Cli.Infrastructure.Invariant;

namespace TrackSharp.Cli.Commands;

/// <summary>Options of <c>bench trdimp</c> (the same shape as <c>bench siamfcpp</c>: <c>--threads</c> takes a list).</summary>
public sealed class BenchTrDiMPSettings : GlobalSettings
{
    [CommandOption("--small")]
    [Description("Use the reduced-width network of golden/trdimp_small instead of ResNet-50 (a fast smoke check; no Python ratio).")]
    public bool Small { get; init; }

    [CommandOption("--frames <N>")]
    [Description("Timed Track() calls per thread count (default 30, 5 with --quick); a shorter video is looped.")]
    public int? Frames { get; init; }

    [CommandOption("--threads <LIST>")]
    [Description("Thread counts to measure, comma separated. Default: 1,2.")]
    public string Threads { get; init; } = "1,2";

    [CommandOption("--video <PATH>")]
    [Description("Video (or image folder, list file) to track in; default samples/bag.avi with its box from samples/bag.json.")]
    public string? Video { get; init; }

    [CommandOption("--box <X,Y,W,H>")]
    [Description("First-frame box in pixels; required with --video other than the sample.")]
    public string? Box { get; init; }

    [CommandOption("--json <FILE>")]
    [Description("Also write the results as JSON to FILE (written atomically; folders are created).")]
    public string? Json { get; init; }

    [CommandOption("--quick")]
    [Description("Few frames: a fast smoke check, noisier figures.")]
    public bool Quick { get; init; }

    public IReadOnlyList<int> ParseThreads() => Threads.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed) return failed;
        try
        {
            var t = ParseThreads();
            if (t.Count == 0 || t.Any(x => x < 1)) return ValidationResult.Error($"--threads needs counts >= 1, got '{Threads}'");
            if (t.Distinct().Count() != t.Count) return ValidationResult.Error($"--threads lists a count twice: '{Threads}'");
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return ValidationResult.Error($"--threads must be a comma-separated list of integers, got '{Threads}'");
        }
        return Frames is < 1 ? ValidationResult.Error($"--frames must be at least 1, got {Frames}")
            : Json is { } json && IsMissingValue(json) ? ValidationResult.Error("--json needs a file name")
            : Video is { } video && IsMissingValue(video) ? ValidationResult.Error("--video needs a path")
            : Box is { } box && IsMissingValue(box) ? ValidationResult.Error("--box needs x,y,w,h")
            : ValidationResult.Success();
    }
}

/// <summary><c>tracksharp bench trdimp</c>: TrDiMP Track() speed per thread count against the Python reference.</summary>
[Description("Measure the TrDiMP tracker's speed (ms per frame, median and mean; ResNet-50, seeded random weights with " +
             "calibrated BatchNorm) at each --threads count against the reference Python tracker (1442 ms with 2 threads).")]
public sealed class BenchTrDiMPCommand(IAnsiConsole console) : Command<BenchTrDiMPSettings>
{
    public override int Execute(CommandContext context, BenchTrDiMPSettings settings, CancellationToken cancellation)
    {
        int frames = settings.Frames ?? (settings.Quick ? TrDiMPBenchmark.QuickFrames : TrDiMPBenchmark.DefaultFrames);
        int warmup = settings.Quick ? TrDiMPBenchmark.QuickWarmup : TrDiMPBenchmark.DefaultWarmup;
        string videoPath = TrackerBenchmark.ResolveVideo(settings.Video);
        using var source = FrameSources.Open(videoPath);
        var box = TrackerBenchmark.ResolveBox(settings.Box, videoPath);
        string videoName = Path.GetFileName(Path.TrimEndingDirectorySeparator(videoPath));
        int needed = warmup + 1 + frames;
        using var video = Progress.Run(console, $"decoding {videoName}", source.Count is int n ? Math.Min(n, needed) : needed,
            p => TrackerBenchmark.Decode(source, needed, () => p.Increment(), warn: line => Log.Warning("{Line}", line)));
        if (needed > video.Count)
            Log.Information("{Video} has {Count} frames: looping it for {Needed} ({Warmup} warm-up + {Frames} timed after frame 0)",
                videoName, video.Count, needed, warmup, frames);

        string name = "trdimp";
        var flags = new List<Dictionary<string, int>>();
        var registry = TrDiMPBenchmark.Registry(name, settings.Small ? TrDiMPNetConfig.Small : TrDiMPNetConfig.Full, video[0], flags);
        var results = new List<TrackerBenchResult>();
        foreach (int threads in settings.ParseThreads())
        {
            cancellation.ThrowIfCancellationRequested();
            var config = new TrackerBenchConfig(name, "torchsharp", threads);
            var times = Progress.Run(console, config.Label, frames,
                p => TrackerBenchmark.Measure(config, video, box, warmup, frames, () => p.Increment(), registry));
            results.Add(TrackerBenchmark.Summarize(config, times));
        }

        var report = TrDiMPBenchmark.Report(settings.Small, videoPath, box, video, frames, warmup, settings.Quick, results, flags);
        Print(report);
        if (settings.Json is { } json) JsonOutput.Write(json, report);
        return ExitCodes.Success;
    }

    private void Print(TrDiMPBenchReport report)
    {
        var table = new Table()
            .Title($"bench trdimp: {report.Network} network on {Markup.Escape(Path.GetFileName(report.Video))}, " +
                   $"{report.Frames} timed frames{(report.Wrapped ? $" (video looped, {report.VideoFrames} frames)" : "")}")
            .AddColumn(new TableColumn("threads").RightAligned()).AddColumn(new TableColumn("median ms").RightAligned())
            .AddColumn(new TableColumn("mean ms").RightAligned()).AddColumn(new TableColumn("p90 ms").RightAligned())
            .AddColumn(new TableColumn("FPS").RightAligned()).AddColumn(new TableColumn("Python ms").RightAligned())
            .AddColumn(new TableColumn("ratio").RightAligned());
        foreach (var r in report.Results)
        {
            string key = r.Threads.ToString(CultureInfo.InvariantCulture);
            bool hasRatio = report.Ratios.TryGetValue(key, out double ratio);
            table.AddRow(key, F(r.MsPerFrame, "F1"), F(r.MeanMs, "F1"), F(r.P90Ms, "F1"), F(r.Fps, "F2"),
                hasRatio ? F(report.Reference.MsPerFrame[key], "F0") : "-",
                hasRatio ? (report.GoalMet[key] ? "[green]" : "[red]") + F(ratio, "F2") + "[/]" : "-");
        }
        console.Write(table);
        foreach (var (threads, histogram) in report.Flags)
            console.MarkupLine(Markup.Escape($"flags ({threads} thread(s)): " +
                                             string.Join(", ", histogram.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key} {h.Value}"))));
        console.MarkupLine(Markup.Escape($"weights: seeded random (seed {TrDiMPBenchmark.Seed}), backbone BatchNorm statistics from " +
                                         $"{report.BnCalibrationCrops} crops of frame 0; goal: ratio <= {F(report.GoalMaxRatio, "F1")} of the Python median"));
        if (report.Ratios.Count == 0)
            console.MarkupLine("[grey]the Python figure exists for the ResNet-50 network at 2 threads only: no ratio here[/]");
        if (report.Quick) console.MarkupLine("[grey]--quick: few frames, figures are indicative only[/]");
    }
}
