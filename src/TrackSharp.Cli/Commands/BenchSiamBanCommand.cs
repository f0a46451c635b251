using System.ComponentModel;
using System.Globalization;
using Serilog;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Imaging;
using static TrackSharp.Cli.Infrastructure.Invariant;

namespace TrackSharp.Cli.Commands;

/// <summary>Options of <c>bench siamban</c>. Its <c>--threads</c> takes a list, so it does not derive from
/// <see cref="BenchSettings"/> (whose --threads is one count) but has the same --json and --quick.</summary>
public sealed class BenchSiamBanSettings : GlobalSettings
{
    [CommandOption("--config <FILE>")]
    [Description("SiamBAN config in the pysot/siamban layout (BACKBONE, ADJUST, BAN, TRACK). Default: experiments/siamban_r50_l234.yaml.")]
    public string? Config { get; init; }

    [CommandOption("--weights <FILE>")]
    [Description("SiamBAN state dict (pysot names) for the config's network. Default: seeded random weights (speed does not depend on them).")]
    public string? Weights { get; init; }

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
            : Config is { } c && IsMissingValue(c) ? ValidationResult.Error("--config needs a file name")
            : Weights is { } w && IsMissingValue(w) ? ValidationResult.Error("--weights needs a file name")
            : Video is { } video && IsMissingValue(video) ? ValidationResult.Error("--video needs a path")
            : Box is { } box && IsMissingValue(box) ? ValidationResult.Error("--box needs x,y,w,h")
            : ValidationResult.Success();
    }
}

/// <summary><c>tracksharp bench siamban</c>: SiamBAN Track() speed per thread count against the Python reference.</summary>
[Description("Measure the SiamBAN tracker's speed (ms per frame, median and mean) at each --threads count against the " +
             "reference Python tracker (siamban_r50_l234, random weights: 1551 ms with 1 thread, 1040 ms with 2).")]
public sealed class BenchSiamBanCommand(IAnsiConsole console) : Command<BenchSiamBanSettings>
{
    public override int Execute(CommandContext context, BenchSiamBanSettings settings, CancellationToken cancellation)
    {
        int frames = settings.Frames ?? (settings.Quick ? SiamBanBenchmark.QuickFrames : SiamBanBenchmark.DefaultFrames);
        int warmup = settings.Quick ? SiamBanBenchmark.QuickWarmup : SiamBanBenchmark.DefaultWarmup;
        string configPath = settings.Config ?? TrackerBenchmark.FindShipped(SiamBanBenchmark.DefaultConfig)
            ?? throw new FileNotFoundException($"the config '{SiamBanBenchmark.DefaultConfig}' was not found in the current " +
                                               "directory, the application's directory or their parents; pass --config FILE",
                SiamBanBenchmark.DefaultConfig);
        var (model, tracker, metaArc) = SiamBanBenchmark.ReadConfig(configPath);
        if (settings.Weights is { } weights && !File.Exists(weights))
            throw new FileNotFoundException($"weights file '{weights}' does not exist", weights);

        string videoPath = TrackerBenchmark.ResolveVideo(settings.Video);
        using var source = FrameSources.Open(videoPath);
        var box = TrackerBenchmark.ResolveBox(settings.Box, videoPath);
        string videoName = Path.GetFileName(Path.TrimEndingDirectorySeparator(videoPath));
        int needed = warmup + 1 + frames;
        using var video = Progress.Run(console, $"decoding {videoName}", source.Count is int n ? Math.Min(n, needed) : needed,
            p => TrackerBenchmark.Decode(source, needed, () => p.Increment(), warn: line => Log.Warning("{Line}", line)));

        string name = string.IsNullOrEmpty(metaArc) ? "siamban" : metaArc;
        var registry = SiamBanBenchmark.Registry(name, model, tracker, settings.Weights, video[0], box);
        var results = new List<TrackerBenchResult>();
        foreach (int threads in settings.ParseThreads())
        {
            cancellation.ThrowIfCancellationRequested();
            var config = new TrackerBenchConfig(name, "torchsharp", threads);
            var times = Progress.Run(console, config.Label, frames,
                p => TrackerBenchmark.Measure(config, video, box, warmup, frames, () => p.Increment(), registry));
            results.Add(TrackerBenchmark.Summarize(config, times));
        }

        var report = SiamBanBenchmark.Report(configPath, model, metaArc, settings.Weights, videoPath, box, video, frames, warmup,
            settings.Quick, results);
        Print(report);
        if (settings.Json is { } json) JsonOutput.Write(json, report);
        return ExitCodes.Success;
    }

    private void Print(SiamBanBenchReport report)
    {
        var table = new Table()
            .Title($"bench siamban: {Markup.Escape(report.MetaArc)} on {Markup.Escape(Path.GetFileName(report.Video))}, " +
                   $"{report.Frames} timed frames{(report.Wrapped ? $" (video looped, {report.VideoFrames} frames)" : "")}")
            .AddColumn(new TableColumn("threads").RightAligned()).AddColumn(new TableColumn("median ms").RightAligned())
            .AddColumn(new TableColumn("mean ms").RightAligned()).AddColumn(new TableColumn("p90 ms").RightAligned())
            .AddColumn(new TableColumn("FPS").RightAligned()).AddColumn(new TableColumn("Python ms").RightAligned())
            .AddColumn(new TableColumn("ratio").RightAligned());
        foreach (var r in report.Results)
        {
            string key = r.Threads.ToString(CultureInfo.InvariantCulture);
            bool hasRatio = report.Ratios.TryGetValue(key, out double ratio);
            table.AddRow(key, F(r.MsPerFrame, "F1"), F(r.MeanMs, "F1"), F(r.P90Ms, "F1"), F(r.Fps, "F1"),
                hasRatio ? F(report.PythonMsPerFrame[key], "F0") : "-",
                hasRatio ? (report.GoalMet[key] ? "[green]" : "[red]") + F(ratio, "F2") + "[/]" : "-");
        }
        console.Write(table);
        console.MarkupLine(Markup.Escape(report.RandomInit
            ? $"weights: none given, seeded random initialisation (seed {SiamBanBenchmark.Seed}); speed does not depend on them"
            : $"weights: {report.Weights}"));
        console.MarkupLine(Markup.Escape($"config: {report.Config}; goal: ratio <= {F(report.GoalMaxRatio, "F1")} of the Python median"));
        if (report.Ratios.Count == 0)
            console.MarkupLine("[grey]Python figures exist for the published r50_l234 network only: no ratio for this config[/]");
        if (report.Quick) console.MarkupLine("[grey]--quick: few frames, figures are indicative only[/]");
    }
}
