namespace TrackSharp.Imaging;

/// <summary>
/// A frame source could not be opened: the path does not exist, the video or camera cannot be opened, the
/// folder holds no images, the list names no images. The message names the path so that a command-line user
/// sees which input is wrong without a stack trace.
/// </summary>
public sealed class FrameSourceException : Exception
{
    public FrameSourceException(string path, string message, Exception? inner = null)
        : base(message, inner)
    {
        Path = path;
    }

    /// <summary>The path, URL or camera index that failed.</summary>
    public string Path { get; }
}
