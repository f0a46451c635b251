using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Data.Crop511;
using TrackSharp.Data.Datasets;

namespace TrackSharp.Cli.Commands;

public sealed class DatasetsCrop511Settings : GlobalSettings
{
    [CommandOption("--input <PATH>")]
    [Description("Dataset to convert: any layout 'datasets check' reads.")]
    public string? Input { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("Layout of --input: otb, vot, uav123, dtb70, got10k, lasot, trackingnet, custom, coco or imagenetvid. Detected when omitted. " +
                 "coco and imagenetvid follow pysot's own par_crop.py/gen_json.py (one video per image or VID video, one track per object).")]
    public string? Format { get; init; }

    [CommandOption("--split <SPLIT>")]
    [Description("coco: the instances_<SPLIT>.json to convert (default train2017, then train2014); imagenetvid: train (default) or val.")]
    public string? Split { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Output folder: DIR/crop511/<sequence>/{frame:06d}.00.x.jpg and DIR/train.json (pysot's ROOT and ANNO).")]
    public string? Out { get; init; }

    [CommandOption("--threads <N>")]
    [Description("Sequences converted in parallel.")]
    [DefaultValue(1)]
    public int Threads { get; init; } = 1;

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed) return failed;
        if (Input is null || IsMissingValue(Input)) return ValidationResult.Error("--input (the dataset folder) is required");
        if (Out is null || IsMissingValue(Out)) return ValidationResult.Error("--out (the output folder) is required");
        if (Threads < 1) return ValidationResult.Error($"--threads must be at least 1, got {Threads}");
        if (Split is not null && IsMissingValue(Split)) return ValidationResult.Error("--split needs a value (e.g. train2017 or val)");
        if (Format is not null)
        {
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

/// <summary><c>tracksharp datasets crop511</c>: pysot's offline 511x511 search crops and train.json from any dataset.</summary>
[Description("Convert a dataset into pysot's crop511 layout (par_crop.py): 511x511 context crops of every visible frame, " +
             "padded with the frame's channel mean, plus the JSON of boxes per video, track and frame (x1, y1, x2, y2) that SiamBAN/pysot " +
             "training reads (train --data NAME=DIR). COCO and ImageNet-VID follow pysot's coco/ and vid/ scripts: one track per object.")]
public sealed class DatasetsCrop511Command(IAnsiConsole console) : Command<DatasetsCrop511Settings>
{
    public override int Execute(CommandContext context, DatasetsCrop511Settings settings, CancellationToken cancellation)
    {
        var options = new Crop511Options { Threads = settings.Threads };
        if (!Directory.Exists(settings.Input!))
            throw new DirectoryNotFoundException($"dataset folder '{settings.Input}' does not exist");
        var format = settings.Format is null ? DatasetReader.Detect(settings.Input!) : DatasetFormats.Parse(settings.Format);
        if (format is DatasetFormat.Coco or DatasetFormat.ImagenetVid)
        {
            var videos = format == DatasetFormat.Coco
                ? Crop511CocoPlan.Build(settings.Input!, settings.Split)
                : Crop511VidPlan.Build(settings.Input!, settings.Split ?? "train");
            var written = Progress.Run(console, $"cropping {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(settings.Input!)))}",
                videos.Count, counter => Crop511Writer.Convert(videos, settings.Out!, options, _ => counter.Increment(), cancellation), unit: "videos");
            console.MarkupLine(Markup.Escape(
                $"wrote {written.Crops} crops of {written.Videos} videos to {Path.Combine(settings.Out!, Crop511Layout.CropFolder)} and {written.AnnotationPath}"));
            return ExitCodes.Success;
        }
        if (settings.Split is not null)
            throw new ArgumentException("--split applies to coco and imagenetvid only");
        var dataset = DatasetReader.Open(settings.Input!, format);
        var summary = Progress.Run(console, $"cropping {dataset.Name}", dataset.Sequences.Count, counter =>
            Crop511Writer.Convert(dataset, settings.Out!, options,
                _ => counter.Increment(), cancellation), unit: "sequences");
        console.MarkupLine(Markup.Escape(
            $"wrote {summary.Crops} crops of {summary.Videos} videos to {Path.Combine(settings.Out!, Crop511Layout.CropFolder)} " +
            $"and {summary.AnnotationPath} ({summary.SkippedFrames} frames without a visible target skipped)"));
        return ExitCodes.Success;
    }
}
