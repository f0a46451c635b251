using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary>Runs the CLI in-process (<see cref="Program.Run"/>) with captured, non-interactive output.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Errors)
    {
        public string[] ErrorLines => Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Result Run(string[] args, Action<IConfigurator>? configure = null)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        int code = Program.Run(args, console, errors, configure);
        return new Result(code, output.ToString(), errors.ToString());
    }

    public static Result Run(params string[] args) => Run(args, configure: null);
}

/// <summary>CLI tests share global state (the Serilog logger, torch's thread count): run them one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "cli";
}
