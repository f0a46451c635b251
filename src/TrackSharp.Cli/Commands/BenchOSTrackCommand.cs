using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;

namespace TrackSharp.Cli.Commands;

/// <summary>Options of <c>bench ostrack</c>: the shared tracker-bench options plus the family's --config, --weights and --frames.</summary>
public sealed class BenchOSTrackSettings : TrackerBenchSettings
{
    [CommandOption("--config <FILE>")]
    [Description("OSTrack experiment config (MODEL, DATA, TEST). Default: experiments/ostrack/vitb_256_mae_ce_32x4_ep300.yaml.")]
    public string? Config { get; init; }

    [CommandOption("--weights <FILE>")]
    [Description("OSTrack checkpoint for the config's network. Default: seeded random weights (speed does not depend on them).")]
    public string? Weights { get; init; }

    [CommandOption("--frames <N>")]
    [Description("Timed Track() calls per thread count (default 30, 5 with --quick); a shorter video is looped.")]
    public int? Frames { get; init; }

    protected override string? ConfigOption => Config;
    protected override string? WeightsOption => Weights;
    protected override int? FramesOption => Frames;
}

/// <summary><c>tracksharp bench ostrack</c>: OSTrack Track() speed per thread count against the Python reference.</summary>
[Description("Measure the OSTrack tracker's speed (ms per frame, median and mean) at each --threads count against the " +
             "reference Python tracker (ViT-B 256 CE: 602 ms with 1 thread, 1198 ms with 2).")]
public sealed class BenchOSTrackCommand(IAnsiConsole console) : Command<BenchOSTrackSettings>
{
    public override int Execute(CommandContext context, BenchOSTrackSettings settings, CancellationToken cancellation)
    {
        int frames = settings.Frames ?? (settings.Quick ? OSTrackBenchmark.QuickFrames : OSTrackBenchmark.DefaultFrames);
        int warmup = settings.Quick ? OSTrackBenchmark.QuickWarmup : OSTrackBenchmark.DefaultWarmup;
        string configPath = TrackerBenchSteps.ResolveConfig(settings.Config, OSTrackBenchmark.DefaultConfig);
        var (model, tracker) = OSTrackBenchmark.ReadConfig(configPath);
        TrackerBenchSteps.RequireWeightsFile(settings.Weights);
        using var video = TrackerBenchSteps.DecodeVideo(console, settings.Video, settings.Box, warmup, frames, logLooping: true);

        string name = "ostrack";
        var registry = OSTrackBenchmark.Registry(name, model, tracker, settings.Weights);
        var results = TrackerBenchSteps.MeasureEachThreadCount(console, settings, name, video, warmup, frames, registry, cancellation);

        var report = OSTrackBenchmark.Report(configPath, model, settings.Weights, video.Path, video.Box, video.Frames, frames, warmup,
            settings.Quick, results);
        Print(report);
        if (settings.Json is { } json) JsonOutput.Write(json, report);
        return ExitCodes.Success;
    }

    private void Print(OSTrackBenchReport report) =>
        TrackerBenchSteps.PrintTable(console,
            $"bench ostrack: {Markup.Escape(report.Backbone)} {report.EmbedDim}x{report.Depth}, search {report.SearchSize}, {TrackerBenchSteps.VideoAndFrames(report)}",
            report, report.Reference.MsPerFrame, report.Weights, OSTrackBenchmark.Seed, report.Config, "ViT-B 256 CE");
}
