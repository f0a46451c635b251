using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;

namespace TrackSharp.Cli.Commands;

/// <summary>
/// Options shared by the single-tracker speed benches (<c>bench siamfcpp</c>, <c>bench siamban</c>,
/// <c>bench ostrack</c>). Their <c>--threads</c> takes a list, so they do not derive from <see cref="BenchSettings"/>
/// (whose --threads is one count) but share its --json and --quick. --config, --weights and --frames stay in the
/// derived class because their help text names the family's default config, weights layout and frame counts;
/// the derived class hands them back through <see cref="ConfigOption"/>, <see cref="WeightsOption"/> and
/// <see cref="FramesOption"/> so that one validation checks every option in one fixed order.
/// </summary>
public abstract class TrackerBenchSettings : GlobalSettings
{
    [CommandOption("--threads <LIST>")]
    [Description("Thread counts to measure, comma separated. Default: 1,2.")]
    public string Threads { get; init; } = "1,2";

    [CommandOption("--video <PATH>")]
    [Description("Video (or image folder, list file) to track in; default samples/bag.avi with its box from samples/bag.json.")]
    public string? Video { get; init; }

    [CommandOption("--box <X,Y,W,H>")]
    [Description("First-frame box in pixels; required with --video other than the sample.")]
    public string? Box { get; init; }

    [CommandOption("--json <FILE>")]
    [Description("Also write the results as JSON to FILE (written atomically; folders are created).")]
    public string? Json { get; init; }

    [CommandOption("--quick")]
    [Description("Few frames: a fast smoke check, noisier figures.")]
    public bool Quick { get; init; }

    /// <summary>The value of the derived class's --config option.</summary>
    protected abstract string? ConfigOption { get; }

    /// <summary>The value of the derived class's --weights option.</summary>
    protected abstract string? WeightsOption { get; }

    /// <summary>The value of the derived class's --frames option.</summary>
    protected abstract int? FramesOption { get; }

    /// <summary>The --threads list as integers.</summary>
    /// <exception cref="FormatException">An entry is not a non-negative integer.</exception>
    /// <exception cref="OverflowException">An entry does not fit an <see cref="int"/>.</exception>
    public IReadOnlyList<int> ParseThreads() => Threads.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed) return failed;
        try
        {
            var t = ParseThreads();
            if (t.Count == 0 || t.Any(x => x < 1)) return ValidationResult.Error($"--threads needs counts >= 1, got '{Threads}'");
            if (t.Distinct().Count() != t.Count) return ValidationResult.Error($"--threads lists a count twice: '{Threads}'");
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return ValidationResult.Error($"--threads must be a comma-separated list of integers, got '{Threads}'");
        }
        return FramesOption is < 1 ? ValidationResult.Error($"--frames must be at least 1, got {FramesOption}")
            : Json is { } json && IsMissingValue(json) ? ValidationResult.Error("--json needs a file name")
            : ConfigOption is { } c && IsMissingValue(c) ? ValidationResult.Error("--config needs a file name")
            : WeightsOption is { } w && IsMissingValue(w) ? ValidationResult.Error("--weights needs a file name")
            : Video is { } video && IsMissingValue(video) ? ValidationResult.Error("--video needs a path")
            : Box is { } box && IsMissingValue(box) ? ValidationResult.Error("--box needs x,y,w,h")
            : ValidationResult.Success();
    }
}
