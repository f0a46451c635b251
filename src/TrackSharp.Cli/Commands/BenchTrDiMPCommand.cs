using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Trackers.TrDiMP;
using static TrackSharp.Cli.Infrastructure.Invariant;

namespace TrackSharp.Cli.Commands;

/// <summary>Options of <c>bench trdimp</c>: the shared tracker-bench options plus --small and --frames (TrDiMP's
/// parameters are built in and its weights are always seeded random, so it has no --config or --weights).</summary>
public sealed class BenchTrDiMPSettings : TrackerBenchSettings
{
    [CommandOption("--small")]
    [Description("Use the reduced-width network of golden/trdimp_small instead of ResNet-50 (a fast smoke check; no Python ratio).")]
    public bool Small { get; init; }

    [CommandOption("--frames <N>")]
    [Description("Timed Track() calls per thread count (default 30, 5 with --quick); a shorter video is looped.")]
    public int? Frames { get; init; }

    protected override string? ConfigOption => null;
    protected override string? WeightsOption => null;
    protected override int? FramesOption => Frames;
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
        using var video = TrackerBenchSteps.DecodeVideo(console, settings.Video, settings.Box, warmup, frames, logLooping: true);

        string name = "trdimp";
        var flags = new List<Dictionary<string, int>>();
        var registry = TrDiMPBenchmark.Registry(name, settings.Small ? TrDiMPNetConfig.Small : TrDiMPNetConfig.Full, video.Frames[0], flags);
        var results = TrackerBenchSteps.MeasureEachThreadCount(console, settings, name, video, warmup, frames, registry, cancellation);

        var report = TrDiMPBenchmark.Report(settings.Small, video.Path, video.Box, video.Frames, frames, warmup, settings.Quick, results, flags);
        Print(report);
        if (settings.Json is { } json) JsonOutput.Write(json, report);
        return ExitCodes.Success;
    }

    private void Print(TrDiMPBenchReport report)
    {
        TrackerBenchSteps.PrintResultTable(console, $"bench trdimp: {report.Network} network {TrackerBenchSteps.VideoAndFrames(report)}",
            report, report.Reference.MsPerFrame, fpsFormat: "F2");
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
