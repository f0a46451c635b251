using System.Reflection;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace TrackSharp.Cli.Infrastructure;

/// <summary>
/// The one place that turns an exception escaping a verb (or the parser) into console output and an exit code.
/// <list type="bullet">
/// <item>Usage errors from the parser (unknown verb/option, bad option value, failed settings validation):
///   "error: &lt;parser message&gt;", exit <see cref="ExitCodes.BadInput"/>.</item>
/// <item>Known bad-input exceptions (<see cref="IsBadInput"/>): one red line "error: &lt;message&gt;", exit
///   <see cref="ExitCodes.BadInput"/>.</item>
/// <item>Anything else: "error: &lt;message&gt;" plus a hint line, exit <see cref="ExitCodes.Failure"/>.</item>
/// </list>
/// Stack traces are printed only with --verbose or TRACKSHARP_DEBUG=1; they always go to the log file if one is
/// configured.
/// </summary>
public sealed class ErrorHandler(TextWriter errors, bool verbose, bool color)
{
    private static readonly HashSet<Type> BadInputTypes =
    [
        typeof(ArgumentException), typeof(FileNotFoundException), typeof(DirectoryNotFoundException),
        typeof(FormatException), typeof(InvalidDataException), typeof(KeyNotFoundException),
    ];

    /// <summary>True for exceptions that mean "the input is wrong", not "TrackSharp is broken": the listed BCL
    /// types and their subclasses (ArgumentNullException, ArgumentOutOfRangeException, ...), and every
    /// exception type declared in a TrackSharp namespace (e.g. a checkpoint or annotation format error).</summary>
    public static bool IsBadInput(Exception e)
    {
        for (Type? t = e.GetType(); t is not null && t != typeof(Exception); t = t.BaseType)
        {
            if (BadInputTypes.Contains(t)) return true;
            if (t.Name.EndsWith("Exception", StringComparison.Ordinal) && t.Namespace is { } ns &&
                (ns == "TrackSharp" || ns.StartsWith("TrackSharp.", StringComparison.Ordinal)))
                return true;
        }
        return false;
    }

    /// <summary>Strips wrappers that carry no information of their own.</summary>
    public static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: 1 } a: e = a.InnerExceptions[0]; continue;
                case TargetInvocationException { InnerException: { } inner }: e = inner; continue;
                case TypeInitializationException { InnerException: { } inner }: e = inner; continue;
                default: return e;
            }
        }
    }

    /// <summary>Prints the error and returns the exit code.</summary>
    public int Handle(Exception exception)
    {
        var e = Unwrap(exception);
        CliLogging.FileOnly.Error(e, "tracksharp failed");

        if (e is CommandAppException)
        {
            // Parser and settings-validation errors: the message is already written for the user.
            WriteErrorLine(e.Message);
            if (verbose) errors.WriteLine(e.ToString());
            else errors.WriteLine("hint: add --help to the verb for its usage");
            return ExitCodes.BadInput;
        }

        if (IsBadInput(e))
        {
            WriteErrorLine(e.Message);
            if (verbose) errors.WriteLine(e.ToString());
            return ExitCodes.BadInput;
        }

        WriteErrorLine($"{e.Message} ({e.GetType().Name})");
        if (verbose) errors.WriteLine(e.ToString());
        else
            errors.WriteLine("hint: this looks like a TrackSharp bug or an environment problem; rerun with --verbose " +
                             "(or TRACKSHARP_DEBUG=1) for the stack trace" +
                             (CliLogging.LogFilePath is { } log ? $", or see {log}" : ""));
        return ExitCodes.Failure;
    }

    private void WriteErrorLine(string message)
    {
        // One line whatever the message holds, so logs and CI output stay greppable.
        string line = "error: " + Regex.Replace(message.Trim(), @"\s*\r?\n\s*", " ");
        errors.WriteLine(color ? $"\u001b[31m{line}\u001b[0m" : line);
        errors.Flush();
    }

    /// <summary>Colour when the writer is the real standard error on a terminal and NO_COLOR is unset.</summary>
    public static bool UseColor(TextWriter errors) =>
        ReferenceEquals(errors, Console.Error) && !Console.IsErrorRedirected &&
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
