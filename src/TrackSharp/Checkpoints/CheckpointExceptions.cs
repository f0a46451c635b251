namespace TrackSharp.Checkpoints;

/// <summary>A checkpoint / npz file that cannot be read: not a torch.save zip, legacy format, truncated, corrupt.
/// The message always names the file.</summary>
public class CheckpointFormatException : IOException
{
    public CheckpointFormatException(string filePath, string message, Exception? inner = null)
        : base(message, inner)
    {
        FilePath = filePath;
    }

    /// <summary>The file (or stream name) that could not be read.</summary>
    public string FilePath { get; }
}

/// <summary>A state dict that does not fit a module (strict load): the message names the file and lists the
/// missing, unexpected and shape-mismatched keys.</summary>
public class CheckpointMismatchException : Exception
{
    public CheckpointMismatchException(LoadReport report)
        : base(report.Describe(CheckpointMismatchException.MaxListed))
    {
        Report = report;
    }

    /// <summary>How many keys of each kind the message lists before "... and N more".</summary>
    public const int MaxListed = 20;

    public LoadReport Report { get; }
}
