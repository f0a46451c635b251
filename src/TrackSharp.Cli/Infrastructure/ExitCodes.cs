namespace TrackSharp.Cli.Infrastructure;

/// <summary>Process exit codes of every verb. 0 only on success.</summary>
public static class ExitCodes
{
    /// <summary>The verb did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Something unexpected failed (a bug, an I/O error, the native backend); the message says what.</summary>
    public const int Failure = 1;

    /// <summary>The user's input was wrong: unknown verb or option, a missing file, a malformed box or annotation,
    /// a checkpoint with the wrong keys. Fixing the command line or the input fixes it.</summary>
    public const int BadInput = 2;
}
