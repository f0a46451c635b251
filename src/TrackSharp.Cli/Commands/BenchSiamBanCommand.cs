using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;

namespace TrackSharp.Cli.Commands;

/// <summary>Options of <c>bench siamban</c>: the shared tracker-bench options plus the family's --config, --weights and --frames.</summary>
public sealed class BenchSiamBanSettings : TrackerBenchSettings
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

    protected override string? ConfigOption => Config;
    protected override string? WeightsOption => Weights;
    protected override int? FramesOption => Frames;
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
        string configPath = TrackerBenchSteps.ResolveConfig(settings.Config, SiamBanBenchmark.DefaultConfig);
        var (model, tracker, metaArc) = SiamBanBenchmark.ReadConfig(configPath);
        TrackerBenchSteps.RequireWeightsFile(settings.Weights);
        using var video = TrackerBenchSteps.DecodeVideo(console, settings.Video, settings.Box, warmup, frames, logLooping: false);

        string name = string.IsNullOrEmpty(metaArc) ? "siamban" : metaArc;
        var registry = SiamBanBenchmark.Registry(name, model, tracker, settings.Weights, video.Frames[0], video.Box);
        var results = TrackerBenchSteps.MeasureEachThreadCount(console, settings, name, video, warmup, frames, registry, cancellation);

        var report = SiamBanBenchmark.Report(configPath, model, metaArc, settings.Weights, video.Path, video.Box, video.Frames, frames, warmup,
            settings.Quick, results);
        Print(report);
        if (settings.Json is { } json) JsonOutput.Write(json, report);
        return ExitCodes.Success;
    }

    private void Print(SiamBanBenchReport report) =>
        TrackerBenchSteps.PrintTable(console,
            $"bench siamban: {Markup.Escape(report.MetaArc)} {TrackerBenchSteps.VideoAndFrames(report)}",
            report, report.PythonMsPerFrame, report.Weights, SiamBanBenchmark.Seed, report.Config, "published r50_l234");
}
