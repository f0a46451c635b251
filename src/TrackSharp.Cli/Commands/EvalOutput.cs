using Spectre.Console;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Evaluation.Runs;

namespace TrackSharp.Cli.Commands;

/// <summary>What both evaluation protocols (one-pass and VOT reset) say before and after a run.</summary>
internal static class EvalOutput
{
    public static void AnnounceResumed(IAnsiConsole console, int sequences, int toTrack, string trackerFolder)
    {
        int resumed = sequences - toTrack;
        if (resumed > 0)
            console.MarkupLine(Markup.Escape($"{resumed} of {sequences} sequences already have complete results in " +
                                             $"{trackerFolder}: skipped (--overwrite to redo them)"));
    }

    /// <summary>Sequences that failed end the command with one error line (exit 2) after the report was printed.</summary>
    public static void ThrowIfAnyFailed(IReadOnlyList<OpeSequenceFailure> failures)
    {
        if (failures.Count > 0)
            throw new OpeRunException(failures.Count == 1
                ? failures[0].Message
                : $"{failures.Count} sequences failed; first: {failures[0].Message}");
    }

    /// <summary>
    /// Runs a protocol under one progress bar over <paramref name="frames"/> frames whose label, from
    /// <paramref name="label"/>, counts the sequences finished in this run (resumed ones are not counted).
    /// </summary>
    /// <param name="run">Gets the per-frame callback and the per-sequence callback (true: the sequence was resumed).</param>
    public static TSummary RunWithProgress<TSummary>(IAnsiConsole console, Func<int, string> label, long frames,
        Func<Action, Action<bool>, TSummary> run)
    {
        int finished = 0;
        return Progress.Run(console, label(0), frames, counter => run(() => counter.Increment(), resumed =>
        {
            if (!resumed) counter.Description = label(Interlocked.Increment(ref finished));
        }));
    }

    /// <summary>Prints every sequence's warnings, then the failed sequences, before the protocol's own table.</summary>
    public static void PrintWarningsAndFailures(IAnsiConsole console, IEnumerable<string> warnings,
        IReadOnlyList<OpeSequenceFailure> failures)
    {
        foreach (var warning in warnings)
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        foreach (var failure in failures)
            console.MarkupLine($"[red]failed:[/] {Markup.Escape(failure.Name)}: {Markup.Escape(failure.Message)}");
    }
}
