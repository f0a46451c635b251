using Spectre.Console.Cli;

namespace TrackSharp.Cli.Infrastructure;

/// <summary>Runs before every command: sets up logging from the parsed <see cref="GlobalSettings"/>.</summary>
internal sealed class LoggingInterceptor(bool debugFromEnvironment) : ICommandInterceptor
{
    public void Intercept(CommandContext context, CommandSettings settings)
    {
        var global = settings as GlobalSettings;
        CliLogging.Configure(verbose: debugFromEnvironment || global?.Verbose == true, logFile: global?.LogFile);
        Serilog.Log.Debug("tracksharp {Args}", string.Join(" ", context.Arguments));
    }

    public void InterceptResult(CommandContext context, CommandSettings settings, ref int result) =>
        Serilog.Log.Debug("exit code {Code}", result);
}
