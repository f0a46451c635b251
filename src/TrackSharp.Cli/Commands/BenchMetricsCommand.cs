using System.ComponentModel;
using System.Globalization;
using Serilog;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;
using static TrackSharp.Cli.Infrastructure.Invariant;

namespace TrackSharp.Cli.Commands;

public sealed class BenchMetricsSettings : BenchSettings
{
    [CommandOption("--sequences <N>")]
    [Description("Synthetic sequences in the timed pass (default 280, 12 with --quick).")]
    public int? Sequences { get; init; }

    [CommandOption("--frames <N>")]
    [Description("Frames per sequence (default 2500, 300 with --quick).")]
    public int? Frames { get; init; }

    [CommandOption("--seed <N>")]
    [Description("Seed of the synthetic benchmark (default 20260702); the same seed gives the same boxes and scores.")]
    public int? Seed { get; init; }

    public override ValidationResult Validate() =>
        base.Validate() is { Successful: false } failed ? failed
        : Sequences is < 1 ? ValidationResult.Error($"--sequences must be at least 1, got {Sequences}")
        : Frames is < 2 ? ValidationResult.Error($"--frames must be at least 2, got {Frames}")
        : ValidationResult.Success();
}

/// <summary><c>tracksharp bench metrics</c>: speed of every toolkit's metrics on a synthetic benchmark in memory.</summary>
[Description("Measure the evaluation metrics (pysot, pytracking/OSTrack, GOT-10k, VOT overlaps) on a deterministic " +
             "synthetic benchmark in memory (default 280 sequences x 2,500 frames; goal: under 1 second).")]
public sealed class BenchMetricsCommand(IAnsiConsole console) : Command<BenchMetricsSettings>
{
    public override int Execute(CommandContext context, BenchMetricsSettings settings, CancellationToken cancellation)
    {
        int sequences = settings.Sequences ?? (settings.Quick ? MetricsBenchmark.QuickSequences : MetricsBenchmark.DefaultSequences);
        int frames = settings.Frames ?? (settings.Quick ? MetricsBenchmark.QuickFrames : MetricsBenchmark.DefaultFrames);
        if (settings.Threads > 0) Log.Warning("--threads has no effect on bench metrics: the metrics run on one thread");

        var result = MetricsBenchmark.Run(sequences, frames, settings.Quick, settings.Seed ?? MetricsBenchmark.DefaultSeed,
            stage => Log.Debug("{Stage}", stage));

        var table = new Table().Title($"bench metrics: {sequences} sequences x {frames} frames")
            .AddColumn("toolkit").AddColumn(new TableColumn("seconds").RightAligned())
            .AddColumn(new TableColumn("frames/s").RightAligned());
        foreach (var (toolkit, seconds) in result.SecondsByToolkit)
            table.AddRow(toolkit, F(seconds, "F3"), F(result.TotalFrames / seconds, "N0"));
        table.AddRow("[bold]total[/]", $"[bold]{F(result.Seconds, "F3")}[/]", F(result.TotalFrames / result.Seconds, "N0"));
        console.Write(table);

        var scores = new Table().Title("scores of the timed pass").AddColumn("score").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (name, value) in result.Scores) scores.AddRow(name, F(value, "G9"));
        console.Write(scores);

        console.MarkupLine(result.GoalMet
            ? $"[green]goal met[/]: {F(result.Seconds, "F3")} s < {F(result.GoalSeconds, "0.#")} s"
            : $"[red]goal missed[/]: {F(result.Seconds, "F3")} s >= {F(result.GoalSeconds, "0.#")} s");
        foreach (string note in result.Notes) console.MarkupLine($"[grey]{Markup.Escape(note)}[/]");
        if (settings.Quick) console.MarkupLine("[grey]--quick: a small benchmark, figures are indicative only[/]");

        if (settings.Json is { } json) JsonOutput.Write(json, result);
        return ExitCodes.Success;
    }

}
