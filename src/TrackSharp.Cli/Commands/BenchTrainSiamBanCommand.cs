using System.ComponentModel;
using System.Globalization;
using Serilog;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;

namespace TrackSharp.Cli.Commands;

/// <summary>Options of <c>bench train siamban</c>: the shared bench options plus the run's size and data.</summary>
public sealed class BenchTrainSiamBanSettings : BenchSettings
{
    [CommandOption("--config <FILE>")]
    [Description("SiamBAN config in the pysot/siamban layout. Default: experiments/siamban_r50_l234.yaml.")]
    public string? Config { get; init; }

    [CommandOption("--batch <N>")]
    [Description("Pairs per iteration (TRAIN.BATCH_SIZE). Default: 8 (2 with --quick).")]
    public int? Batch { get; init; }

    [CommandOption("--iterations <N>")]
    [Description("Timed iterations. Default: 10 (2 with --quick).")]
    public int? Iterations { get; init; }

    [CommandOption("--warmup <K>")]
    [Description("Untimed iterations first, at least 1. Default: 2 (1 with --quick).")]
    public int? Warmup { get; init; }

    [CommandOption("--data <DIR>")]
    [Description("A folder written by 'datasets crop511' (crop511/ and train.json). Default: a small synthetic set in a temporary folder.")]
    public string? Data { get; init; }

    [CommandOption("--backbone-trained")]
    [Description("Train the backbone's TRAIN_LAYERS from the first iteration (BACKBONE.TRAIN_EPOCH=0), as after the unfreezing epoch. " +
                 "Default: the run's first epoch, backbone frozen.")]
    public bool BackboneTrained { get; init; }

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed) return failed;
        if (Batch is < 1) return ValidationResult.Error($"--batch must be >= 1, got {Batch}");
        if (Iterations is < 1) return ValidationResult.Error($"--iterations must be >= 1, got {Iterations}");
        if (Warmup is < 1) return ValidationResult.Error($"--warmup must be >= 1 (the first iteration has no start time), got {Warmup}");
        if (Data is { } d && !Directory.Exists(d)) return ValidationResult.Error($"--data folder '{d}' does not exist");
        return ValidationResult.Success();
    }
}

/// <summary><c>tracksharp bench train siamban</c>: seconds per SiamBAN training iteration, in total and per phase.</summary>
[Description("Measure SiamBAN training speed (s_per_iter, median and mean, and per phase) with the config's model, random weights " +
             "and batch 8. No Python figure is given to compare with.")]
public sealed class BenchTrainSiamBanCommand(IAnsiConsole console) : Command<BenchTrainSiamBanSettings>
{
    public override int Execute(CommandContext context, BenchTrainSiamBanSettings settings, CancellationToken cancellation)
    {
        string configPath = TrackerBenchSteps.ResolveConfig(settings.Config, SiamBanTrainBenchmark.DefaultConfig);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"config '{configPath}' does not exist", configPath);
        int batch = settings.Batch ?? (settings.Quick ? 2 : SiamBanTrainBenchmark.DefaultBatch);
        int iterations = settings.Iterations ?? (settings.Quick ? SiamBanTrainBenchmark.QuickIterations : SiamBanTrainBenchmark.DefaultIterations);
        int warmup = settings.Warmup ?? (settings.Quick ? SiamBanTrainBenchmark.QuickWarmup : SiamBanTrainBenchmark.DefaultWarmup);

        int previousThreads = TorchSharp.torch.get_num_threads();
        SiamBanTrainBenchReport report;
        try
        {
            if (settings.Threads > 0) TorchSharp.torch.set_num_threads(settings.Threads);
            report = SiamBanTrainBenchmark.Run(configPath, settings.Data, batch, iterations, warmup, settings.BackboneTrained, settings.Quick,
                stage => Log.Debug("bench train siamban: {Stage}", stage), cancellation);
        }
        finally
        {
            TorchSharp.torch.set_num_threads(previousThreads);
        }

        var table = new Table().Title($"bench train siamban: {Markup.Escape(report.MetaArc)}, batch {I(report.BatchSize)}, " +
                                      $"{I(report.Iterations)} timed iterations, {I(report.Threads)} thread(s)")
            .AddColumn("phase").AddColumn(new TableColumn("median s").RightAligned()).AddColumn(new TableColumn("mean s").RightAligned());
        foreach (var (phase, s) in report.Phases) table.AddRow(Markup.Escape(phase), F(s.Median), F(s.Mean));
        table.AddRow("[bold]iteration[/]", $"[bold]{F(report.SecondsPerIteration)}[/]", F(report.SecondsPerIterationMean));
        console.Write(table);
        console.MarkupLine(Markup.Escape(
            $"s_per_iter {F(report.SecondsPerIteration)} (median); data: {report.Data}; backbone {(report.BackboneTrained ? "trained" : "frozen")}; " +
            $"random weights; no Python figure to compare with; {report.ProcessorCount} cores, load " +
            $"{report.LoadAverage?.ToString("F2", CultureInfo.InvariantCulture) ?? "?"}"));
        if (report.Quick) console.MarkupLine("[grey]--quick: few iterations, figures are indicative only[/]");

        if (settings.Json is { } json) JsonOutput.Write(json, report);
        return ExitCodes.Success;
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
}
