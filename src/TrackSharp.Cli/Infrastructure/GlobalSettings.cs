using System.ComponentModel;
using Spectre.Console.Cli;

namespace TrackSharp.Cli.Infrastructure;

/// <summary>
/// Options every verb accepts. Every command's settings derive from this class (directly or through a branch's
/// settings such as <see cref="Commands.BenchSettings"/>), so <c>--verbose</c> and <c>--log-file</c> work on
/// every verb.
/// </summary>
public class GlobalSettings : CommandSettings
{
    [CommandOption("--verbose")]
    [Description("Debug logging, and stack traces on errors (same as TRACKSHARP_DEBUG=1).")]
    public bool Verbose { get; init; }

    [CommandOption("--log-file <FILE>")]
    [Description("Also write a debug-level log to FILE (or set TRACKSHARP_LOG_FILE).")]
    public string? LogFile { get; init; }

    /// <summary>
    /// True when a string option was given without a usable value. Spectre.Console.Cli 0.57 fills an option
    /// whose value is missing at the very end of the command line (<c>bench engine --json</c>) with its internal
    /// token "__default_command" instead of failing, so FILE options check with this in <c>Validate</c>.
    /// </summary>
    protected static bool IsMissingValue(string? value) =>
        string.IsNullOrWhiteSpace(value) || value == "__default_command";

    public override Spectre.Console.ValidationResult Validate() =>
        LogFile is { } f && IsMissingValue(f)
            ? Spectre.Console.ValidationResult.Error("--log-file needs a file name")
            : Spectre.Console.ValidationResult.Success();
}
