using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;

namespace TrackSharp.Cli.Commands;

/// <summary>Options of <c>tracksharp train</c>.</summary>
public sealed class TrainSettings : GlobalSettings
{
    [CommandOption("--config <FILE>")]
    [Description("Experiment file (YAML in the reference repository's layout: OSTrack, pysot/SiamBAN, video_analyst, FCOS).")]
    public string? Config { get; init; }

    [CommandOption("--family <NAME>")]
    [Description("Config family (ostrack, siamban, video_analyst, maskrcnn_benchmark); default: told from the file's top-level keys.")]
    public string? Family { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Run folder: checkpoints/, logs/tensorboard/, config.yaml. Default: runs/<config file name>.")]
    public string? Out { get; init; }

    [CommandOption("--resume")]
    [Description("Continue from the newest complete checkpoint in OUT/checkpoints (a fresh start when there is none).")]
    public bool Resume { get; init; }

    [CommandOption("--epochs <N>")]
    [Description("Train N epochs instead of the config's count.")]
    public int? Epochs { get; init; }

    [CommandOption("--threads <N>")]
    [Description("CPU threads of the tensor backend (default: the backend's).")]
    public int? Threads { get; init; }

    [CommandOption("--data <NAME=PATH>")]
    [Description("Dataset root by name, e.g. GOT10K=/data/GOT-10k/train (may be repeated). OSTrack: GOT10K_SPLITS=DIR is the folder of its GOT-10k split lists (lib/train/data_specs).")]
    public string[] Data { get; init; } = [];

    [CommandOption("--log-every <N>")]
    [Description("Write a text line every N iterations (default 20).")]
    [DefaultValue(20)]
    public int LogEvery { get; init; } = 20;

    [CommandArgument(0, "[OVERRIDES]")]
    [Description("Config overrides KEY.PATH=VALUE (the value is YAML: 8, 1e-4, [[GOT10K_vottrain, LASOT]]).")]
    public string[] Overrides { get; init; } = [];

    public override ValidationResult Validate()
    {
        var baseResult = base.Validate();
        if (!baseResult.Successful) return baseResult;
        if (IsMissingValue(Config)) return ValidationResult.Error("--config FILE is required");
        if (Family is { } f && IsMissingValue(f)) return ValidationResult.Error("--family needs a name");
        if (Out is { } o && IsMissingValue(o)) return ValidationResult.Error("--out needs a folder");
        if (Epochs is < 1) return ValidationResult.Error("--epochs must be at least 1");
        if (Threads is < 1) return ValidationResult.Error("--threads must be at least 1");
        if (LogEvery < 1) return ValidationResult.Error("--log-every must be at least 1");
        return ValidationResult.Success();
    }

    /// <summary>The --data entries as a name → path map; a malformed entry or a path that does not exist throws
    /// naming the entry.</summary>
    public IReadOnlyDictionary<string, string> DataRoots()
    {
        var roots = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in Data)
        {
            int eq = entry.IndexOf('=');
            if (eq <= 0 || eq == entry.Length - 1)
                throw new ArgumentException($"--data '{entry}': expected NAME=PATH");
            string name = entry[..eq].Trim(), path = entry[(eq + 1)..].Trim();
            if (!Directory.Exists(path) && !File.Exists(path))
                throw new DirectoryNotFoundException($"--data {name}: '{path}' does not exist");
            if (!roots.TryAdd(name, path))
                throw new ArgumentException($"--data {name} is given twice");
        }
        return roots;
    }
}
