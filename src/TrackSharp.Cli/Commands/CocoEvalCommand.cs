using System.ComponentModel;
using System.Diagnostics;
using Serilog;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Detection.Data;
using TrackSharp.Detection.Evaluation;
using static TrackSharp.Cli.Infrastructure.Invariant;

namespace TrackSharp.Cli.Commands;

public sealed class CocoEvalSettings : GlobalSettings
{
    [CommandOption("--gt <FILE>")]
    [Description("Ground truth: a COCO instances JSON file (images, annotations with bbox/area/iscrowd, categories).")]
    public string? GroundTruth { get; init; }

    [CommandOption("--dt <FILE>")]
    [Description("Detections: a COCO results JSON list of {image_id, category_id, bbox [[x,y,w,h]], score}. An empty list is allowed.")]
    public string? Detections { get; init; }

    [CommandOption("--per-category")]
    [Description("Also print AP, AP50, AP75 and AR100 per category (area all).")]
    public bool PerCategory { get; init; }

    [CommandOption("--json <FILE>")]
    [Description("Also write the 12 stats, the summary lines and the per-category figures to FILE.")]
    public string? Json { get; init; }

    public override ValidationResult Validate() =>
        base.Validate() is { Successful: false } failed ? failed
        : GroundTruth is null || IsMissingValue(GroundTruth) ? ValidationResult.Error("--gt FILE (COCO instances JSON) is required")
        : Detections is null || IsMissingValue(Detections) ? ValidationResult.Error("--dt FILE (COCO results JSON) is required")
        : Json is { } json && IsMissingValue(json) ? ValidationResult.Error("--json needs a file name")
        : ValidationResult.Success();
}

/// <summary>
/// <c>tracksharp coco-eval</c>: COCO bbox evaluation with pycocotools' numbers (COCOeval evaluate / accumulate /
/// summarize), printing its 12-line summary in its exact format.
/// </summary>
[Description("Evaluate COCO-format detections against COCO instances ground truth (bbox), with the numbers and the 12-line " +
             "summary of pycocotools' COCOeval (AP, AP50, AP75, APs/m/l, AR1/10/100, ARs/m/l).")]
public sealed class CocoEvalCommand(IAnsiConsole console) : Command<CocoEvalSettings>
{
    public override int Execute(CommandContext context, CocoEvalSettings settings, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var gt = CocoInstances.Load(settings.GroundTruth!);
        var dt = CocoResultsFile.Load(settings.Detections!, gt);
        double loadSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var evaluation = CocoEvaluator.Evaluate(gt, dt);
        double evalSeconds = clock.Elapsed.TotalSeconds;
        Log.Information("evaluated {Detections} detections on {Images} images, {Categories} categories in {Seconds:F3} s (loading {Load:F3} s)",
            dt.Count, evaluation.ImageIds.Count, evaluation.CategoryIds.Count, evalSeconds, loadSeconds);

        foreach (string line in evaluation.Summary.Lines) console.WriteLine(line);

        var names = gt.Categories.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.Last().Name);
        var perCategory = CocoCategoryScores.From(evaluation, names);
        if (settings.PerCategory)
        {
            var table = new Table().AddColumn("category").AddColumn("id")
                .AddColumn(new TableColumn("AP").RightAligned()).AddColumn(new TableColumn("AP50").RightAligned())
                .AddColumn(new TableColumn("AP75").RightAligned()).AddColumn(new TableColumn("AR100").RightAligned());
            foreach (var c in perCategory)
                table.AddRow(Markup.Escape(c.Name), c.CategoryId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    F(c.AP, "F3"), F(c.AP50, "F3"), F(c.AP75, "F3"), F(c.AR100, "F3"));
            console.Write(table);
        }

        if (settings.Json is { } json)
        {
            JsonOutput.Write(json, new
            {
                GroundTruth = Path.GetFullPath(settings.GroundTruth!),
                Detections = Path.GetFullPath(settings.Detections!),
                NumImages = evaluation.ImageIds.Count,
                NumCategories = evaluation.CategoryIds.Count,
                NumDetections = dt.Count,
                Stats = CocoSummary.StatNames.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => evaluation.Summary.Stats[x.i]),
                SummaryLines = evaluation.Summary.Lines,
                PerCategory = perCategory.Select(c => new { c.CategoryId, c.Name, ap = c.AP, ap50 = c.AP50, ap75 = c.AP75, ar100 = c.AR100 }),
                SecondsLoading = loadSeconds,
                SecondsEvaluating = evalSeconds,
            });
        }
        return ExitCodes.Success;
    }
}
