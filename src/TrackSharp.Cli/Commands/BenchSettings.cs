using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;

namespace TrackSharp.Cli.Commands;

/// <summary>
/// Options shared by every <c>bench</c> sub-command (<c>bench engine</c>, and <c>bench nanotrack</c> to come):
/// derive the sub-command's settings from this class.
/// </summary>
public class BenchSettings : GlobalSettings
{
    [CommandOption("--json <FILE>")]
    [Description("Also write the results as JSON to FILE (written atomically; folders are created).")]
    public string? Json { get; init; }

    [CommandOption("--threads <N>")]
    [Description("Intra-op threads for the backend; 0 (default) keeps the backend's own default.")]
    public int Threads { get; init; }

    [CommandOption("--quick")]
    [Description("Few repeats: a fast smoke check, noisier figures.")]
    public bool Quick { get; init; }

    public override ValidationResult Validate() =>
        base.Validate() is { Successful: false } failed ? failed
        : Threads < 0 ? ValidationResult.Error($"--threads must be 0 (backend default) or more, got {Threads}")
        : Json is { } json && IsMissingValue(json) ? ValidationResult.Error("--json needs a file name")
        : ValidationResult.Success();
}
