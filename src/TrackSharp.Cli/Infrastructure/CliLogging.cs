using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace TrackSharp.Cli.Infrastructure;

/// <summary>
/// Serilog set-up for the CLI: log lines go to standard error (standard output stays for results, tables and
/// help), Information and up by default, Debug and up with <c>--verbose</c>; with <c>--log-file FILE</c> (or
/// TRACKSHARP_LOG_FILE) everything from Debug up is also appended to that file, exceptions with stack traces.
/// The library logs through Microsoft.Extensions.Logging: hand it <see cref="LoggerFactory"/>.
/// </summary>
public static class CliLogging
{
    private const string ConsoleTemplate = "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}";
    private const string FileTemplate =
        "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {Level:u3} [{SourceContext}] {Message:lj}{NewLine}{Exception}";

    /// <summary>The log file in use, or null.</summary>
    public static string? LogFilePath { get; private set; }

    /// <summary>Writes only to the log file (a silent logger when there is none): for details, such as stack
    /// traces, that the console shows only with --verbose.</summary>
    public static Serilog.ILogger FileOnly { get; private set; } = Serilog.Core.Logger.None;

    /// <summary>Microsoft.Extensions.Logging view of the Serilog pipeline, for library types that take an
    /// <see cref="ILogger"/> or <see cref="ILoggerFactory"/>.</summary>
    public static ILoggerFactory LoggerFactory { get; } = new SerilogLoggerFactory();

    /// <summary>Replaces the global Serilog logger. Called once per run by <see cref="LoggingInterceptor"/>.</summary>
    public static void Configure(bool verbose, string? logFile)
    {
        logFile ??= NullIfEmpty(Environment.GetEnvironmentVariable("TRACKSHARP_LOG_FILE"));
        var config = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Enrich.WithProperty(Serilog.Core.Constants.SourceContextPropertyName, "tracksharp")
            .WriteTo.Console(
                restrictedToMinimumLevel: verbose ? LogEventLevel.Debug : LogEventLevel.Information,
                outputTemplate: ConsoleTemplate,
                standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);

        Serilog.ILogger fileOnly = Serilog.Core.Logger.None;
        if (logFile is not null)
        {
            string full = Path.GetFullPath(logFile);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            config = config.WriteTo.File(full, outputTemplate: FileTemplate, shared: true,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            fileOnly = new LoggerConfiguration().MinimumLevel.Debug()
                .WriteTo.File(full, outputTemplate: FileTemplate, shared: true,
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture)
                .CreateLogger();
            LogFilePath = full;
        }
        else
        {
            LogFilePath = null;
        }

        Shutdown();
        Log.Logger = config.CreateLogger();
        FileOnly = fileOnly;
    }

    /// <summary>Flushes and closes the sinks (safe to call more than once).</summary>
    public static void Shutdown()
    {
        Log.CloseAndFlush();
        (FileOnly as IDisposable)?.Dispose();
        FileOnly = Serilog.Core.Logger.None;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private sealed class SerilogLoggerFactory : ILoggerFactory
    {
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new SerilogLogger(categoryName);
        public void AddProvider(ILoggerProvider provider) =>
            throw new NotSupportedException("the CLI logs through Serilog; configure sinks in CliLogging");
        public void Dispose() { }
    }

    /// <summary>Forwards to the current global Serilog logger, so it follows <see cref="Configure"/>.</summary>
    private sealed class SerilogLogger(string category) : Microsoft.Extensions.Logging.ILogger
    {
        private Serilog.ILogger Target => Serilog.Log.ForContext(Serilog.Core.Constants.SourceContextPropertyName, category);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(MelLogLevel logLevel) =>
            logLevel != MelLogLevel.None && Serilog.Log.IsEnabled(Map(logLevel));

        public void Log<TState>(MelLogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            Target.Write(Map(logLevel), exception, "{Message:l}", formatter(state, exception));
        }

        private static LogEventLevel Map(MelLogLevel level) => level switch
        {
            MelLogLevel.Trace => LogEventLevel.Verbose,
            MelLogLevel.Debug => LogEventLevel.Debug,
            MelLogLevel.Information => LogEventLevel.Information,
            MelLogLevel.Warning => LogEventLevel.Warning,
            MelLogLevel.Error => LogEventLevel.Error,
            _ => LogEventLevel.Fatal,
        };
    }
}
