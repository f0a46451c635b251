using System.ComponentModel;
using System.Globalization;
using Serilog;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Evaluation.Report;

namespace TrackSharp.Cli.Commands;

public sealed class ReportSettings : GlobalSettings
{
    [CommandOption("--results <DIR>")]
    [Description("Result folder(s) in the layout <DIR>/<tracker>/<seq>.txt (several trackers per folder; repeat --results " +
                 "for more folders). Times from <tracker>/times/<seq>_time.txt give the FPS column.")]
    public string[] Results { get; init; } = [];

    [CommandArgument(0, "[DIR]")]
    [Description("More result folders, so that `--results A B C` works as well as `--results A --results B`.")]
    public string[] MoreResults { get; init; } = [];

    /// <summary>Every result folder given, in order.</summary>
    internal IReadOnlyList<string> AllResults => Results.Concat(MoreResults).ToArray();

    [CommandOption("--dataset <NAME>")]
    [Description("otb, uav123, dtb70, vot (one-pass on the polygons' boxes), lasot, got10k-val or custom.")]
    public string? Dataset { get; init; }

    [CommandOption("--data <PATH>")]
    [Description("Dataset root folder (ground truth is read with the dataset reader; frames are not needed).")]
    public string? Data { get; init; }

    [CommandOption("--convention <NAME>")]
    [Description("pysot, pytracking, ostrack or got10k. Default: pysot for otb/uav123/dtb70/vot/custom, pytracking for lasot, " +
                 "got10k for got10k-val.")]
    public string? Convention { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Folder for report.md, report.html and the plots (PNG + SVG). Default: out/report.")]
    public string Out { get; init; } = Path.Combine("out", "report");

    [CommandOption("--json <FILE>")]
    [Description("Also write every number of the report (overall and per sequence, with the curves and thresholds) to FILE.")]
    public string? Json { get; init; }

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed) return failed;
        if (AllResults.Count == 0 || AllResults.Any(IsMissingValue)) return ValidationResult.Error("--results DIR is required");
        if (Dataset is null || IsMissingValue(Dataset))
            return ValidationResult.Error($"--dataset is required ({string.Join(", ", ReportOptions.BenchmarkNames)})");
        if (Data is null || IsMissingValue(Data)) return ValidationResult.Error("--data PATH (the dataset folder) is required");
        if (IsMissingValue(Out)) return ValidationResult.Error("--out needs a folder name");
        if (Json is not null && IsMissingValue(Json)) return ValidationResult.Error("--json needs a file name");
        try
        {
            ReportOptions.ParseBenchmark(Dataset);
            if (Convention is not null) ReportOptions.ParseConvention(Convention);
        }
        catch (ArgumentException e)
        {
            return ValidationResult.Error(e.Message);
        }
        return ValidationResult.Success();
    }
}

/// <summary><c>tracksharp report</c>: compare trackers' raw results on a benchmark in one report.</summary>
[Description("Evaluate raw tracking results (<DIR>/<tracker>/<seq>.txt) on a benchmark with the metrics of an official toolkit " +
             "and write a comparison report: markdown, a self-contained HTML page, success/precision plots (PNG + SVG). " +
             "Problems with result files are warnings naming the file; exit 0 when something was evaluated, 2 when nothing could be.")]
public sealed class ReportCommand(IAnsiConsole console) : Command<ReportSettings>
{
    public override int Execute(CommandContext context, ReportSettings settings, CancellationToken cancellation)
    {
        var benchmark = ReportOptions.ParseBenchmark(settings.Dataset!);
        ReportConvention? convention = settings.Convention is { } c ? ReportOptions.ParseConvention(c) : null;
        var report = ReportEvaluator.Run(settings.AllResults, benchmark, settings.Data!, convention,
            tracker => Log.Debug("evaluating {Tracker}", tracker));

        // One unwrapped line per warning, so the file name stays greppable whatever the console width.
        var writer = console.Profile.Out.Writer;
        foreach (var w in report.Warnings) writer.WriteLine($"warning: {w}");
        writer.Flush();

        if (!report.AnythingEvaluated)
        {
            if (settings.Json is { } j) JsonOutput.Write(j, report);
            throw new InvalidDataException(report.Trackers.Count == 0
                ? $"no tracker results found in {string.Join(", ", settings.AllResults)} for the {report.Sequences.Count} sequences of {settings.Data}"
                : "nothing could be evaluated: every result file is missing or unusable (see the warnings)");
        }

        var files = ReportWriter.Write(report, settings.Out);
        var table = new Table().Title($"{report.Dataset}, {report.Convention} convention, {report.Sequences.Count} sequences")
            .AddColumn("tracker").AddColumn(new TableColumn("AUC").RightAligned()).AddColumn(new TableColumn("P@20").RightAligned())
            .AddColumn(new TableColumn("norm. P").RightAligned()).AddColumn(new TableColumn("sequences").RightAligned())
            .AddColumn(new TableColumn("FPS").RightAligned());
        foreach (var t in report.Trackers.OrderByDescending(t => t.Overall?.Auc ?? double.MinValue))
            table.AddRow(Markup.Escape(t.Name), P(t.Overall?.Auc), P(t.Overall?.Precision), P(t.Overall?.NormPrecision),
                $"{t.SequencesEvaluated}/{t.SequencesTotal}",
                t.Overall?.Fps is double f ? f.ToString("F1", CultureInfo.InvariantCulture) : "-");
        console.Write(table);
        console.MarkupLine(Markup.Escape($"wrote {files.Markdown}, {files.Html} and {files.Png.Count} plot(s)"));
        if (settings.Json is { } json) JsonOutput.Write(json, report);
        return ExitCodes.Success;
    }

    private static string P(double? v) => v is double d ? (d * 100).ToString("F2", CultureInfo.InvariantCulture) : "-";
}
