using System.ComponentModel;
using OpenCvSharp;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Data.Datasets;
using TrackSharp.Imaging;

namespace TrackSharp.Cli.Commands;

public sealed class DatasetsShowSettings : DatasetsSettings
{
    [CommandArgument(1, "<SEQ>")]
    [Description("Sequence name (as `datasets check` lists it, e.g. Jogging_1).")]
    public string Sequence { get; init; } = "";

    [CommandOption("--out <FILE>")]
    [Description("PNG to write (default out/datasets-show-<SEQ>.png).")]
    public string? Out { get; init; }

    [CommandOption("--frames <N>")]
    [Description("Frames in the strip, evenly spaced from the first to the last (default 8).")]
    [DefaultValue(8)]
    public int Frames { get; init; } = 8;

    [CommandOption("--height <PIXELS>")]
    [Description("Height of each frame in the strip (default 240).")]
    [DefaultValue(240)]
    public int Height { get; init; } = 240;

    public override ValidationResult Validate() =>
        base.Validate() is { Successful: false } failed ? failed
        : IsMissingValue(Sequence) ? ValidationResult.Error("SEQ (the sequence name) is required")
        : Out is not null && IsMissingValue(Out) ? ValidationResult.Error("--out needs a file name")
        : Frames is < 1 or > 100 ? ValidationResult.Error($"--frames must be 1 to 100, got {Frames}")
        : Height is < 16 or > 4096 ? ValidationResult.Error($"--height must be 16 to 4096, got {Height}")
        : ValidationResult.Success();
}

/// <summary><c>tracksharp datasets show</c>: a PNG strip of a sequence's frames with their ground-truth boxes.</summary>
[Description("Write a PNG strip of N frames of one sequence with their ground-truth boxes (absent targets are marked).")]
public sealed class DatasetsShowCommand(IAnsiConsole console) : Command<DatasetsShowSettings>
{
    public override int Execute(CommandContext context, DatasetsShowSettings settings, CancellationToken cancellation)
    {
        var dataset = DatasetReader.Open(settings.Path, settings.ParsedFormat);
        var sequence = dataset[settings.Sequence];
        var boxes = sequence.GroundTruth; // throws on a malformed line, naming it
        if (sequence.Length == 0)
            throw new DatasetFormatException(sequence.AnnotationPath, null, $"sequence '{sequence.Name}' has no frames");
        string output = settings.Out ?? Path.Combine("out", $"datasets-show-{sequence.Name.Replace('/', '_')}.png");
        if (!output.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--out {output}: expected a .png file name");

        int n = Math.Min(settings.Frames, sequence.Length);
        var indices = Enumerable.Range(0, n)
            .Select(k => n == 1 ? 0 : (int)Math.Round(k * (sequence.Length - 1) / (double)(n - 1))).Distinct().ToList();
        var tiles = new List<Mat>();
        try
        {
            foreach (int i in indices)
                tiles.Add(Tile(sequence, boxes, i, settings.Height, console));
            using var strip = new Mat();
            Cv2.HConcat(tiles.ToArray(), strip);
            ImageIO.Write(output, strip);
        }
        finally
        {
            foreach (var t in tiles) t.Dispose();
        }
        console.MarkupLine(Markup.Escape($"{sequence.Name}: {indices.Count} of {sequence.Length} frames -> {Path.GetFullPath(output)}"));
        return ExitCodes.Success;
    }

    private static Mat Tile(TrackingSequence sequence, IReadOnlyList<Geometry.BoxXywh> boxes, int index, int height, IAnsiConsole console)
    {
        Mat frame;
        try
        {
            frame = sequence.ReadFrame(index);
        }
        catch (IOException e)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(e.Message)}");
            var blank = new Mat(height, height * 4 / 3, MatType.CV_8UC3, new Scalar(64, 64, 64));
            Annotator.DrawFrameInfo(blank, index + 1, frameCount: sequence.Length);
            Cv2.PutText(blank, "unreadable", new Point(8, height / 2), HersheyFonts.HersheySimplex, 0.7, TargetPalette.Lost, 2);
            return blank;
        }
        using (frame)
        {
            var box = boxes[index];
            bool visible = sequence.IsVisible(index);
            if (box.IsValid) Annotator.DrawTarget(frame, box, 0, name: "gt", lost: !visible, thickness: Math.Max(2, frame.Height / 240));
            Annotator.DrawFrameInfo(frame, index + 1, frameCount: sequence.Length, fontScale: Math.Max(0.6, frame.Height / 400.0));
            if (!visible)
                Cv2.PutText(frame, "absent", new Point(8, frame.Height - 12), HersheyFonts.HersheySimplex,
                    Math.Max(0.6, frame.Height / 400.0), TargetPalette.Lost, 2);
            var tile = new Mat();
            Cv2.Resize(frame, tile, new OpenCvSharp.Size(Math.Max(1, (int)Math.Round(frame.Width * (double)height / frame.Height)), height),
                interpolation: InterpolationFlags.Area);
            return tile;
        }
    }
}
