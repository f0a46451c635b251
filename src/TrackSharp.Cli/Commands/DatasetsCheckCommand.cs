using System.ComponentModel;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Data.Datasets;

namespace TrackSharp.Cli.Commands;

/// <summary>Options shared by the <c>datasets</c> verbs.</summary>
public class DatasetsSettings : GlobalSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("Dataset root folder (or, for OTB/DTB70/custom, one sequence folder).")]
    public string Path { get; init; } = "";

    [CommandOption("--format <FORMAT>")]
    [Description("Layout: otb, vot, uav123, dtb70, got10k, lasot, trackingnet, coco, imagenetvid or custom. Detected when omitted.")]
    public string? Format { get; init; }

    internal DatasetFormat? ParsedFormat => Format is null ? null : DatasetFormats.Parse(Format);

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed) return failed;
        if (IsMissingValue(Path)) return ValidationResult.Error("PATH (the dataset folder) is required");
        if (Format is not null)
        {
            if (IsMissingValue(Format)) return ValidationResult.Error("--format needs a value");
            try
            {
                DatasetFormats.Parse(Format);
            }
            catch (ArgumentException e)
            {
                return ValidationResult.Error($"--format: {e.Message}");
            }
        }
        return ValidationResult.Success();
    }
}

public sealed class DatasetsCheckSettings : DatasetsSettings
{
    [CommandOption("--json <FILE>")]
    [Description("Also write {format, sequences, frames, absent_frames, problems:[[{file, line, message}]], notes, per_sequence} to FILE.")]
    public string? Json { get; init; }

    [CommandOption("--decode")]
    [Description("Decode every frame (slow on large datasets); default: check each file's presence and JPEG/PNG markers.")]
    public bool Decode { get; init; }

    public override ValidationResult Validate() =>
        base.Validate() is { Successful: false } failed ? failed
        : Json is not null && IsMissingValue(Json) ? ValidationResult.Error("--json needs a file name")
        : ValidationResult.Success();
}

/// <summary><c>tracksharp datasets check</c>: every finding about a dataset, by file and line; exit 2 when any is a problem.</summary>
[Description("Check a dataset folder: sequences, frames, missing or bad frame files, malformed annotation lines, short " +
             "ground truth, negative sizes, absent-target counts. Exit 0 when clean, 2 when a problem was found. " +
             "A layout's own conventions (OTB Diving: 231 images, 215 annotated frames) are notes, not problems.")]
public sealed class DatasetsCheckCommand(IAnsiConsole console) : Command<DatasetsCheckSettings>
{
    public override int Execute(CommandContext context, DatasetsCheckSettings settings, CancellationToken cancellation)
    {
        var dataset = DatasetReader.Open(settings.Path, settings.ParsedFormat);
        var report = Progress.Run(console, $"checking {dataset.Name}", dataset.Sequences.Count, counter =>
            DatasetChecker.Check(dataset, new DatasetCheckOptions { DecodeAllFrames = settings.Decode },
                (_, _) => counter.Increment()), unit: "sequences");

        var table = new Table().Title($"{DatasetFormats.Name(report.Format)} dataset {Markup.Escape(report.Root)}")
            .AddColumn("sequence").AddColumn(new TableColumn("frames").RightAligned())
            .AddColumn(new TableColumn("images").RightAligned()).AddColumn(new TableColumn("rows").RightAligned())
            .AddColumn(new TableColumn("absent").RightAligned());
        foreach (var s in report.Sequences.Take(50))
            table.AddRow(Markup.Escape(s.Name), s.Frames.ToString(), s.ImagesOnDisk.ToString(), s.AnnotationRows.ToString(),
                s.AbsentFrames.ToString());
        if (report.Sequences.Count > 50) table.AddRow($"... {report.Sequences.Count - 50} more", "", "", "", "");
        console.Write(table);
        foreach (var note in report.Notes)
            console.MarkupLine($"[blue]note:[/] {Markup.Escape(note.ToString())}");
        foreach (var problem in report.Problems)
            console.MarkupLine($"[red]problem:[/] {Markup.Escape(problem.ToString())}");
        console.MarkupLine(Markup.Escape($"{report.Sequences.Count} sequences, {report.Frames} frames, " +
                                         $"{report.AbsentFrames} absent-target frames, {report.Problems.Count} problem(s), {report.Notes.Count} note(s)"));

        if (settings.Json is { } json) JsonOutput.Write(json, DatasetCheckJson.From(report));
        return report.IsClean ? ExitCodes.Success : ExitCodes.BadInput;
    }
}

/// <summary>The <c>--json</c> document of <c>datasets check</c>.</summary>
public sealed record DatasetCheckJson(
    string Root, string Format, int Sequences, int Frames, int AbsentFrames,
    IReadOnlyList<DatasetCheckJson.Finding> Problems, IReadOnlyList<DatasetCheckJson.Finding> Notes,
    IReadOnlyList<SequenceCheck> PerSequence)
{
    /// <summary>One finding; <c>line</c> is left out when the finding is about a whole file.</summary>
    public sealed record Finding(string File, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Line, string Message);

    public static DatasetCheckJson From(DatasetCheckReport r) => new(r.Root, DatasetFormats.Name(r.Format), r.Sequences.Count,
        r.Frames, r.AbsentFrames, r.Problems.Select(F).ToList(), r.Notes.Select(F).ToList(), r.Sequences);

    private static Finding F(DatasetProblem p) => new(p.File, p.Line, p.Message);
}
