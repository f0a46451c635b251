using System.ComponentModel;
using System.Globalization;
using Serilog;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;
using static TrackSharp.Cli.Infrastructure.Invariant;

namespace TrackSharp.Cli.Commands;

public sealed class BenchNanoTrackSettings : BenchSettings
{
    [CommandOption("--frames <N>")]
    [Description("Timed Track() calls per configuration (default 200, 20 with --quick); a shorter video is looped.")]
    public int? Frames { get; init; }

    [CommandOption("--video <PATH>")]
    [Description("Video (or image folder, list file) to track in; default samples/bag.avi with its box from samples/bag.json.")]
    public string? Video { get; init; }

    [CommandOption("--box <X,Y,W,H>")]
    [Description("First-frame box in pixels; required with --video other than the sample.")]
    public string? Box { get; init; }

    public override ValidationResult Validate() =>
        base.Validate() is { Successful: false } failed ? failed
        : Frames is < 1 ? ValidationResult.Error($"--frames must be at least 1, got {Frames}")
        : Video is { } video && IsMissingValue(video) ? ValidationResult.Error("--video needs a path")
        : Box is { } box && IsMissingValue(box) ? ValidationResult.Error("--box needs x,y,w,h")
        : ValidationResult.Success();
}

/// <summary><c>tracksharp bench nanotrack</c>: Track() speed of NanoTrack v1/v2/v3 (TorchSharp), v2 (ONNX Runtime)
/// and CSRT (OpenCV) on frames decoded into memory, against the reference Python tracker.</summary>
[Description("Measure NanoTrack's Track() speed (TorchSharp v1/v2/v3, ONNX Runtime v2, OpenCV CSRT) at 1 and all " +
             "threads (--threads N: the multi-thread count, default all cores) against the Python reference.")]
public sealed class BenchNanoTrackCommand(IAnsiConsole console) : Command<BenchNanoTrackSettings>
{
    public override int Execute(CommandContext context, BenchNanoTrackSettings settings, CancellationToken cancellation)
    {
        int frames = settings.Frames ?? (settings.Quick ? TrackerBenchmark.QuickFrames : TrackerBenchmark.DefaultFrames);
        int warmup = settings.Quick ? TrackerBenchmark.QuickWarmup : TrackerBenchmark.DefaultWarmup;
        int allThreads = settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount;

        using var decoded = TrackerBenchSteps.DecodeVideo(console, settings.Video, settings.Box, warmup, frames, logLooping: true);
        var (videoPath, box, video) = (decoded.Path, decoded.Box, decoded.Frames);
        Log.Debug("{Source}: {Count} frames in memory, {Needed} used per configuration", video.Description, video.Count,
            warmup + 1 + frames);

        var results = new List<TrackerBenchResult>();
        foreach (var config in TrackerBenchmark.NanoTrackConfigurations(allThreads))
        {
            cancellation.ThrowIfCancellationRequested();
            var times = Progress.Run(console, config.Label, frames,
                p => TrackerBenchmark.Measure(config, video, box, warmup, frames, () => p.Increment()));
            results.Add(TrackerBenchmark.Summarize(config, times));
        }

        var report = TrackerBenchmark.Report(videoPath, box, video, frames, warmup, settings.Quick, results);
        Print(report);

        if (settings.Json is { } json) JsonOutput.Write(json, report);
        return ExitCodes.Success;
    }

    private void Print(NanoTrackBenchReport report)
    {
        var table = new Table()
            .Title($"bench nanotrack: {Markup.Escape(Path.GetFileName(report.Video))}, {report.Frames} timed frames" +
                   TrackerBenchSteps.LoopedNote(report.Wrapped, report.VideoFrames))
            .AddColumn(new TableColumn("tracker").NoWrap()).AddColumn(new TableColumn("backend").NoWrap()).AddColumn(new TableColumn("threads").RightAligned())
            .AddColumn(new TableColumn("median ms").RightAligned()).AddColumn(new TableColumn("mean ms").RightAligned())
            .AddColumn(new TableColumn("p90 ms").RightAligned()).AddColumn(new TableColumn("FPS").RightAligned());
        foreach (var r in report.Results)
            table.AddRow(Markup.Escape(r.Tracker), r.Backend, r.Threads.ToString(CultureInfo.InvariantCulture),
                F(r.MsPerFrame, "F2"), F(r.MeanMs, "F2"), F(r.P90Ms, "F2"), F(r.Fps, "F0"));
        console.Write(table);

        // One line per version with a Python anchor, one for the two backends of v2; short enough for 80 columns.
        foreach (var (tracker, ratio) in report.Ratios)
        {
            double ours = report.Results.First(r => r.Tracker == tracker && r.Threads == 1).MsPerFrame;
            double python = report.Reference.MsPerFrame[tracker];
            console.MarkupLine($"{Markup.Escape(tracker)} / Python, 1 thread: {F(ours, "F2")} / {F(python, "F1")} ms = " +
                               $"{F(ratio, "F2")}; goal <= {F(report.GoalMaxRatio, "F1")}: " +
                               (report.GoalMet[tracker] ? "[green]met[/]" : "[red]not met[/]"));
        }
        if (report.TorchSharpVsOnnxRuntime is { } c)
            console.MarkupLine($"v2 TorchSharp / ONNX Runtime, 1 thread: {F(c.TorchSharpMs, "F2")} / " +
                               $"{F(c.OnnxRuntimeMs, "F2")} ms = {F(c.Ratio, "F2")}" +
                               (c.Ratio >= 1 ? " (ONNX Runtime faster)" : " (TorchSharp faster)"));
        console.MarkupLine("[grey]Python: the reference tracker's median ms/frame on the project's 2-core machine " +
                           "(PyTorch 1.13, OpenBLAS, 1 thread)[/]");
        if (report.Quick) console.MarkupLine("[grey]--quick: few frames, figures are indicative only[/]");
    }

}
