using System.ComponentModel;
using System.Globalization;
using Serilog;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;

namespace TrackSharp.Cli.Commands;

public sealed class BenchLoaderSettings : BenchSettings
{
    [CommandOption("--workers <LIST>")]
    [Description("Worker-thread counts to measure, comma separated. Default: 1,2.")]
    public string Workers { get; init; } = "1,2";

    [CommandOption("--samples <N>")]
    [Description("Samples per measured epoch. Default: 256 (16 with --quick).")]
    public int? Samples { get; init; }

    [CommandOption("--data <PATH>")]
    [Description("Dataset folder (OTB, VOT, GOT-10k, LaSOT, ... layouts). Default: ../shared/data/otb next to the repository, else a synthetic set in a temporary folder.")]
    public string? Data { get; init; }

    public IReadOnlyList<int> ParseWorkers() => Workers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed) return failed;
        try
        {
            var w = ParseWorkers();
            if (w.Count == 0 || w.Any(x => x < 1)) return ValidationResult.Error($"--workers needs counts >= 1, got '{Workers}'");
        }
        catch (FormatException)
        {
            return ValidationResult.Error($"--workers must be a comma-separated list of integers, got '{Workers}'");
        }
        if (Samples is < 1) return ValidationResult.Error($"--samples must be >= 1, got {Samples}");
        if (Data is { } d && !Directory.Exists(d)) return ValidationResult.Error($"--data folder '{d}' does not exist");
        return ValidationResult.Success();
    }
}

/// <summary><c>tracksharp bench loader</c>: OSTrack training-data throughput (decode, crop, augment, collate).</summary>
[Description("Measure the OSTrack training data loader: samples/s with 1 and 2 worker threads.")]
public sealed class BenchLoaderCommand(IAnsiConsole console) : Command<BenchLoaderSettings>
{
    public override int Execute(CommandContext context, BenchLoaderSettings settings, CancellationToken cancellation)
    {
        if (settings.Threads > 0) TorchSharp.torch.set_num_threads(settings.Threads);
        var result = LoaderBenchmark.Run(settings.Data, settings.ParseWorkers(), settings.Samples, settings.Quick,
            CliLogging.LoggerFactory.CreateLogger("loader"), stage => Log.Debug("bench loader: {Stage}", stage));

        var table = new Table().Title("bench loader").AddColumn("workers").AddColumn(new TableColumn("samples").RightAligned())
            .AddColumn(new TableColumn("seconds").RightAligned()).AddColumn(new TableColumn("samples/s").RightAligned())
            .AddColumn(new TableColumn("corrupt draws").RightAligned());
        foreach (var r in result.Runs)
            table.AddRow(I(r.Workers), I(r.Samples), r.Seconds.ToString("F2", CultureInfo.InvariantCulture),
                r.SamplesPerSecond.ToString("F1", CultureInfo.InvariantCulture), I(r.CorruptDraws));
        console.Write(table);
        console.MarkupLine(Markup.Escape(
            $"data: {result.Data} ({result.Sequences} sequences); batch {result.BatchSize}; template {result.TemplateSize} (x{result.TemplateFactor}), " +
            $"search {result.SearchSize} (x{result.SearchFactor}); {result.ProcessorCount} cores, load {result.LoadAverage?.ToString("F2", CultureInfo.InvariantCulture) ?? "?"}"));
        if (result.Quick) console.MarkupLine("[grey]--quick: few samples, figures are indicative only[/]");

        if (settings.Json is { } json) JsonOutput.Write(json, result); // logs the 'wrote' line itself
        return ExitCodes.Success;
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
