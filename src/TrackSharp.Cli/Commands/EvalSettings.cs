using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Evaluation.Runs;
using TrackSharp.Evaluation.Vot;

namespace TrackSharp.Cli.Commands;

/// <summary>Options of <c>tracksharp eval</c>.</summary>
public sealed class EvalSettings : GlobalSettings
{
    [CommandOption("--tracker <NAME>")]
    [Description("Tracker name (see `tracksharp trackers`), e.g. nanotrack-v2, kcf. Results go to OUT/<tracker>/.")]
    public string? Tracker { get; init; }

    [CommandOption("--version <VERSION>")]
    [Description("Model version within the family (NanoTrack: v1, v2, v3).")]
    public string? ModelVersion { get; init; }

    [CommandOption("--weights <FILE>")]
    [Description("Weights file; default: the shipped models/.")]
    public string? Weights { get; init; }

    [CommandOption("--threads <N>")]
    [Description("Intra-op threads of the network backend per tracker; 0 (default): the backend's default, or 1 when --parallel is above 1.")]
    public int Threads { get; init; }

    [CommandOption("--dataset <NAME>")]
    [Description("Benchmark: otb, uav123, dtb70, vot, got10k-val, got10k-test, lasot, trackingnet or custom (the layout of --data).")]
    public string? Dataset { get; init; }

    [CommandOption("--protocol <PROTOCOL>")]
    [Description("ope (one pass, init on frame 0 only) or reset (VOT supervised: on a failure, overlap 0 with the ground-truth " +
                 "polygon, skip 4 frames and re-initialise on the 5th; pysot's tools/test.py). Default: reset for vot, ope otherwise.")]
    public string? Protocol { get; init; }

    [CommandOption("--eao-window <DATASET>")]
    [Description("reset protocol: the sequence-length window EAO averages over, as pysot fixes it: VOT2016, VOT2017, " +
                 "VOT2018 (default), VOT2019 or VOT2020.")]
    public string? EaoWindowName { get; init; }

    [CommandOption("--data <PATH>")]
    [Description("Dataset root folder.")]
    public string? Data { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Results root: writes OUT/<tracker>/<seq>.txt (x,y,w,h per frame, the init box first) and " +
                 "OUT/<tracker>/times/<seq>_time.txt (seconds per frame); got10k-val/got10k-test also OUT/<tracker>/<seq>/<seq>_001.txt " +
                 "(.. _003.txt unless the tracker is deterministic) and <seq>_time.txt; trackingnet also OUT/<tracker>_trackingnet.zip, " +
                 "got10k-test also OUT/<tracker>_got10k.zip (the servers' submissions).")]
    public string? Out { get; init; }

    [CommandOption("--sequences <A,B>")]
    [Description("Only these sequences (comma separated; may be repeated).")]
    public string[] Sequences { get; init; } = [];

    [CommandOption("--parallel <N>")]
    [Description("Sequences tracked at once, each with its own tracker (default 1).")]
    [DefaultValue(1)]
    public int Parallel { get; init; } = 1;

    [CommandOption("--max-frames <N>")]
    [Description("Track and evaluate only the first N frames of every sequence (the first included).")]
    public int? MaxFrames { get; init; }

    [CommandOption("--overwrite")]
    [Description("Track again sequences whose result files are complete (default: skip them, resuming an interrupted run).")]
    public bool Overwrite { get; init; }

    [CommandOption("--json <FILE>")]
    [Description("Also write every number (per sequence and overall, with the success and precision curves) to FILE.")]
    public string? Json { get; init; }

    /// <summary>The protocol to run: --protocol, else reset for vot and ope for the others.</summary>
    internal string EffectiveProtocol =>
        Protocol?.Trim().ToLowerInvariant()
        ?? (string.Equals(Dataset?.Trim(), "vot", StringComparison.OrdinalIgnoreCase) ? "reset" : "ope");

    /// <summary>The EAO window of --eao-window (default VOT2018).</summary>
    internal EaoWindow EaoWindow => EaoWindowName is { } n ? EaoWindow.ForDataset(n.Trim().ToUpperInvariant()) : EaoWindow.Vot2018;

    internal IReadOnlyList<string>? SequenceNames =>
        Sequences.Length == 0
            ? null
            : Sequences.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed) return failed;
        foreach (var (name, value, what) in new[]
                 {
                     ("--tracker", Tracker, "a tracker name (see `tracksharp trackers`)"),
                     ("--dataset", Dataset, "otb, uav123, dtb70, vot, got10k-val, got10k-test, lasot, trackingnet or custom"),
                     ("--data", Data, "the dataset folder"),
                     ("--out", Out, "the results folder"),
                 })
            if (value is null || IsMissingValue(value)) return ValidationResult.Error($"{name} is required ({what})");
        foreach (var (name, value) in new[]
                 {
                     ("--weights", Weights), ("--version", ModelVersion), ("--json", Json), ("--protocol", Protocol),
                     ("--eao-window", EaoWindowName),
                 })
            if (value is not null && IsMissingValue(value)) return ValidationResult.Error($"{name} needs a value");
        if (EffectiveProtocol is not ("ope" or "reset"))
            return ValidationResult.Error($"--protocol must be ope or reset, got '{Protocol}'");
        if (EffectiveProtocol == "reset" && !string.Equals(Dataset!.Trim(), "vot", StringComparison.OrdinalIgnoreCase))
            return ValidationResult.Error($"--protocol reset needs --dataset vot (VOT polygons), got '{Dataset}'");
        if (EaoWindowName is not null)
        {
            if (EffectiveProtocol != "reset") return ValidationResult.Error("--eao-window applies to --protocol reset only");
            try
            {
                _ = EaoWindow;
            }
            catch (ArgumentException)
            {
                return ValidationResult.Error($"--eao-window must be VOT2016, VOT2017, VOT2018, VOT2019 or VOT2020, got '{EaoWindowName}'");
            }
        }
        if (Threads < 0) return ValidationResult.Error($"--threads must be 0 or more, got {Threads}");
        if (Parallel < 1) return ValidationResult.Error($"--parallel must be 1 or more, got {Parallel}");
        if (MaxFrames is < 1) return ValidationResult.Error($"--max-frames must be 1 or more, got {MaxFrames}");
        if (Sequences.Length > 0 && SequenceNames!.Count == 0) return ValidationResult.Error("--sequences needs sequence names");
        return ValidationResult.Success();
    }
}
