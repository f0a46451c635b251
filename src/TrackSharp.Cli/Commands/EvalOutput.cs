using Spectre.Console;
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
}
