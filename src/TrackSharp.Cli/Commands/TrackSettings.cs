using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;

namespace TrackSharp.Cli.Commands;

/// <summary>Options of <c>tracksharp track</c> (and, all optional there, of <c>tracksharp demo</c>).</summary>
public class TrackerChoiceSettings : GlobalSettings
{
    [CommandOption("--tracker <NAME>")]
    [Description("Tracker name (`tracksharp trackers` lists them all): nanotrack (default), nanotrack-v1/v2/v3, nanotrack-onnx, siamban, siamfcpp, ostrack, trdimp, trsiam (these need --weights), the OpenCV baselines csrt, kcf, mil and firstbox (repeats the first box).")]
    [DefaultValue("nanotrack")]
    public string Tracker { get; init; } = "nanotrack";

    [CommandOption("--version <VERSION>")]
    [Description("NanoTrack version: v1, v2 or v3 (default v3; detected from --weights when omitted).")]
    public string? ModelVersion { get; init; }

    [CommandOption("--weights <FILE>")]
    [Description("Weights file (.pth, or the backbone .onnx for nanotrack-onnx); default: the shipped models/.")]
    public string? Weights { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("Experiment config for trackers that read one (ostrack: network and TEST crops); default: a config.yaml beside --weights.")]
    public string? Config { get; init; }

    [CommandOption("--debug <DIR>")]
    [Description("Save what the tracker looked at per frame as PNG into DIR (ostrack: template, search crop, score and response maps).")]
    public string? Debug { get; init; }

    [CommandOption("--threads <N>")]
    [Description("Intra-op threads for the network backend; 0 (default) keeps the backend's default.")]
    public int Threads { get; init; }

    [CommandOption("--lost-threshold <SCORE>")]
    [Description("A result whose score is below this is flagged lost (red dashed box). Default 0.3.")]
    [DefaultValue(0.3)]
    public double LostThreshold { get; init; } = 0.3;

    [CommandOption("--out <DIR>")]
    [Description("Output folder for boxes.txt, scores.txt, summary.json and the annotated video.")]
    public string? Out { get; init; }

    [CommandOption("--max-frames <N>")]
    [Description("Stop after N frames (the first included); needed for an endless camera or stream unless stopped with Ctrl+C.")]
    public int? MaxFrames { get; init; }

    [CommandOption("--show")]
    [Description("Show the annotated frames in a window while tracking (needs a display; Esc or q stops).")]
    public bool Show { get; init; }

    [CommandOption("--no-video")]
    [Description("Do not write the annotated video.")]
    public bool NoVideo { get; init; }

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed) return failed;
        foreach (var (name, value) in new[] { ("--weights", Weights), ("--out", Out), ("--version", ModelVersion), ("--config", Config), ("--debug", Debug) })
            if (value is not null && IsMissingValue(value)) return ValidationResult.Error($"{name} needs a value");
        if (Threads < 0) return ValidationResult.Error($"--threads must be 0 or more, got {Threads}");
        if (MaxFrames is < 1) return ValidationResult.Error($"--max-frames must be 1 or more, got {MaxFrames}");
        if (!double.IsFinite(LostThreshold)) return ValidationResult.Error("--lost-threshold must be a number");
        return ValidationResult.Success();
    }
}

public sealed class TrackSettings : TrackerChoiceSettings
{
    [CommandOption("-i|--input <SOURCE>")]
    [Description("Video file, folder of images, list file (one image path per line), camera index (0) or stream URL.")]
    public string? Input { get; init; }

    [CommandOption("--box <X,Y,W,H>")]
    [Description("First-frame box in pixels; give --box once per target to track several targets.")]
    public string[] Boxes { get; init; } = Array.Empty<string>();

    [CommandOption("--init <FILE>")]
    [Description("File with the first-frame box: its first line as x,y,w,h (comma, tab or space; an 8-number VOT polygon gives its min/max box), or a JSON file with \"box\": [[x,y,w,h]].")]
    public string? Init { get; init; }

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed) return failed;
        if (Input is null || IsMissingValue(Input)) return ValidationResult.Error("--input is required (video, image folder, list file, camera index or URL)");
        if (Boxes.Length == 0 && (Init is null || IsMissingValue(Init)))
            return ValidationResult.Error("give the first-frame box with --box x,y,w,h or --init FILE");
        if (Boxes.Length > 0 && Init is not null)
            return ValidationResult.Error("give either --box or --init, not both");
        return ValidationResult.Success();
    }
}
