using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;

namespace TrackSharp.Cli.Commands;

/// <summary>Options of <c>bench siamfcpp</c>: the shared tracker-bench options plus the family's --config, --weights and --frames.</summary>
public sealed class BenchSiamFCppSettings : TrackerBenchSettings
{
    [CommandOption("--config <FILE>")]
    [Description("Resolved videoanalyst task config (model + pipeline.SiamFCppTracker). Default: experiments/siamfcpp_alexnet.yaml.")]
    public string? Config { get; init; }

    [CommandOption("--weights <FILE>")]
    [Description("videoanalyst SiamFC++ state dict for the config's network. Default: seeded random weights (speed does not depend on them).")]
    public string? Weights { get; init; }

    [CommandOption("--frames <N>")]
    [Description("Timed Track() calls per thread count (default 100, 10 with --quick); a shorter video is looped.")]
    public int? Frames { get; init; }

    protected override string? ConfigOption => Config;
    protected override string? WeightsOption => Weights;
    protected override int? FramesOption => Frames;
}

/// <summary><c>tracksharp bench siamfcpp</c>: SiamFC++ Track() speed per thread count against the Python reference.</summary>
[Description("Measure the SiamFC++ tracker's speed (ms per frame, median and mean) at each --threads count against the " +
             "reference Python tracker (AlexNet: 315 ms with 1 thread, 193 ms with 2).")]
public sealed class BenchSiamFCppCommand(IAnsiConsole console) : Command<BenchSiamFCppSettings>
{
    public override int Execute(CommandContext context, BenchSiamFCppSettings settings, CancellationToken cancellation)
    {
        int frames = settings.Frames ?? (settings.Quick ? SiamFCppBenchmark.QuickFrames : SiamFCppBenchmark.DefaultFrames);
        int warmup = settings.Quick ? SiamFCppBenchmark.QuickWarmup : SiamFCppBenchmark.DefaultWarmup;
        string configPath = TrackerBenchSteps.ResolveConfig(settings.Config, SiamFCppBenchmark.DefaultConfig);
        var (model, tracker) = SiamFCppBenchmark.ReadConfig(configPath);
        TrackerBenchSteps.RequireWeightsFile(settings.Weights);
        using var video = TrackerBenchSteps.DecodeVideo(console, settings.Video, settings.Box, warmup, frames, logLooping: true);

        string name = $"siamfcpp-{model.BackboneName.ToLowerInvariant()}";
        var registry = SiamFCppBenchmark.Registry(name, model, tracker, settings.Weights);
        var results = TrackerBenchSteps.MeasureEachThreadCount(console, settings, name, video, warmup, frames, registry, cancellation);

        var report = SiamFCppBenchmark.Report(configPath, model, settings.Weights, video.Path, video.Box, video.Frames, frames, warmup,
            settings.Quick, results);
        Print(report);
        if (settings.Json is { } json) JsonOutput.Write(json, report);
        return ExitCodes.Success;
    }

    private void Print(SiamFCppBenchReport report) =>
        TrackerBenchSteps.PrintTable(console,
            $"bench siamfcpp: {Markup.Escape(report.Backbone)} {TrackerBenchSteps.VideoAndFrames(report)}",
            report, report.Reference.MsPerFrame, report.Weights, SiamFCppBenchmark.Seed, report.Config, "published AlexNet");
}
