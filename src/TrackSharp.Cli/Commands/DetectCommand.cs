using System.ComponentModel;
using OpenCvSharp;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Config;
using TrackSharp.Detection;
using TrackSharp.Detection.Fcos;
using TrackSharp.Geometry;
using TrackSharp.Imaging;

namespace TrackSharp.Cli.Commands;

/// <summary>Options of <c>detect</c>.</summary>
public sealed class DetectSettings : GlobalSettings
{
    [CommandOption("--config <FILE>")]
    [Description("maskrcnn-benchmark / FCOS config (the resolved yacs YAML).")]
    public string? Config { get; init; }

    [CommandOption("--weights <FILE>")]
    [Description("FCOS weights: a maskrcnn-benchmark state dict or training checkpoint (.pth).")]
    public string? Weights { get; init; }

    [CommandOption("--input <PATH>")]
    [Description("An image, a video file or a folder of images.")]
    public string? Input { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Output folder: annotated images (or an annotated .mp4 for a video) and detections.json.")]
    public string? Out { get; init; }

    [CommandOption("--score-threshold <S>")]
    [Description("Keep detections with score >= S (default 0.5; the model's own INFERENCE_TH still applies first).")]
    public double ScoreThreshold { get; init; } = 0.5;

    public override ValidationResult Validate() =>
        base.Validate() is { Successful: false } failed ? failed
        : Config is null || IsMissingValue(Config) ? ValidationResult.Error("--config FILE is required")
        : Weights is null || IsMissingValue(Weights) ? ValidationResult.Error("--weights FILE is required")
        : Input is null || IsMissingValue(Input) ? ValidationResult.Error("--input PATH is required")
        : Out is null || IsMissingValue(Out) ? ValidationResult.Error("--out DIR is required")
        : ScoreThreshold is < 0 or > 1 || double.IsNaN(ScoreThreshold) ? ValidationResult.Error($"--score-threshold must be in [0, 1], got {ScoreThreshold}")
        : ValidationResult.Success();
}

/// <summary>One detection in <c>detections.json</c>: xyxy in original-image pixels (maskrcnn-benchmark's inclusive
/// corners), score, contiguous label and its name.</summary>
public sealed record DetectionJson(float[] Box, float Score, long Label, string Name);

/// <summary>The detections of one image or video frame.</summary>
public sealed record DetectionImageJson(string Source, int Frame, int Width, int Height, IReadOnlyList<DetectionJson> Detections);

/// <summary>The content of <c>detections.json</c>.</summary>
public sealed record DetectionReportJson(string Config, string Weights, string Input, double ScoreThreshold, IReadOnlyList<DetectionImageJson> Images);

/// <summary><c>tracksharp detect</c>: FCOS on an image, a video or a folder of images.</summary>
[Description("Detect objects with an FCOS model (maskrcnn-benchmark config and weights) in an image, a video or a folder " +
             "of images; writes annotated images (or video) and detections.json.")]
public sealed class DetectCommand(IAnsiConsole console) : Command<DetectSettings>
{
    public override int Execute(CommandContext context, DetectSettings settings, CancellationToken cancellation)
    {
        string configPath = settings.Config!, weights = settings.Weights!, input = settings.Input!, outDir = settings.Out!;
        if (!File.Exists(configPath)) throw new FileNotFoundException($"config file '{configPath}' does not exist", configPath);
        if (!File.Exists(weights)) throw new FileNotFoundException($"weights file '{weights}' does not exist", weights);
        if (!File.Exists(input) && !Directory.Exists(input)) throw new FileNotFoundException($"input '{input}' does not exist", input);
        var cfg = ConfigFamily.MaskRcnnBenchmark.Load(configPath);
        var options = FcosModelOptions.FromConfig(cfg);
        var model = new FcosModel(options);
        model.LoadWeights(weights);
        using var detector = new FcosDetector(model);
        Directory.CreateDirectory(outDir);
        var images = new List<DetectionImageJson>();
        float threshold = (float)settings.ScoreThreshold;

        DetectionImageJson Run(Mat frame, string source, int index)
        {
            var dets = detector.Detect(frame).Where(d => d.Score >= threshold).OrderByDescending(d => d.Score).ToList();
            Draw(frame, dets, options.NumClasses);
            return new DetectionImageJson(source, index, frame.Cols, frame.Rows,
                dets.Select(d => new DetectionJson(new[] { d.X1, d.Y1, d.X2, d.Y2 }, d.Score, d.Label,
                    CocoCategories.NameOf(d.Label, options.NumClasses))).ToList());
        }

        if (File.Exists(input) && ImageExtensions.Contains(Path.GetExtension(input)))
        {
            using var img = ImageIO.Read(input);
            images.Add(Run(img, input, 0));
            ImageIO.Write(Path.Combine(outDir, Path.GetFileNameWithoutExtension(input) + ".jpg"), img);
        }
        else
        {
            using var source = FrameSources.Open(input);
            bool isVideo = File.Exists(input);
            using var sink = isVideo ? new VideoSink(Path.Combine(outDir, Path.GetFileNameWithoutExtension(input) + ".mp4"), source.Fps ?? 25) : null;
            foreach (var frame in source.Frames())
            {
                using (frame)
                {
                    cancellation.ThrowIfCancellationRequested();
                    if (!frame.IsValid) throw new InvalidDataException($"{frame.SourcePath}: frame {frame.Index} is unreadable: {frame.Error}");
                    images.Add(Run(frame.Image!, frame.SourcePath, frame.Index));
                    if (sink is not null) sink.Write(frame.Image!);
                    else ImageIO.Write(Path.Combine(outDir, Path.GetFileNameWithoutExtension(frame.SourcePath) + ".jpg"), frame.Image!);
                }
            }
        }
        var report = new DetectionReportJson(configPath, weights, input, settings.ScoreThreshold, images);
        JsonOutput.Write(Path.Combine(outDir, "detections.json"), report);
        console.MarkupLine(Markup.Escape($"{images.Count} image(s), {images.Sum(i => i.Detections.Count)} detection(s) with score >= " +
                                         $"{Invariant.F(settings.ScoreThreshold, "G")} -> {outDir}"));
        return ExitCodes.Success;
    }

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp" };

    private static void Draw(Mat image, IReadOnlyList<DetectedBox> dets, int numClasses)
    {
        foreach (var d in dets)
        {
            var color = TargetPalette.ColorFor((int)d.Label);
            var box = new BoxXywh(d.X1, d.Y1, d.X2 - d.X1 + 1, d.Y2 - d.Y1 + 1);
            Annotator.DrawBox(image, box, color);
            Annotator.DrawLabel(image, box, $"{CocoCategories.NameOf(d.Label, numClasses)} {Invariant.F(d.Score, "F2")}", color);
        }
    }
}
