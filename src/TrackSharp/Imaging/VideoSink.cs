using OpenCvSharp;

namespace TrackSharp.Imaging;

/// <summary>
/// Writes frames to a video file through OpenCV's VideoWriter, choosing the codec from the extension:
/// .mp4 with MPEG-4 Part 2 ("mp4v", the encoder OpenCV's bundled FFmpeg always has) and .avi with Motion JPEG
/// ("MJPG"; "XVID" on request). The writer is created from the first frame, so callers need not know the size
/// in advance, and every later frame must have that size: VideoWriter would otherwise drop it without a word.
/// Frames go to a hidden temporary file next to the destination, which replaces the destination when the sink
/// is closed, so an interrupted run never leaves a file that looks complete.
/// </summary>
public sealed class VideoSink : IDisposable
{
    private static readonly Dictionary<string, string[]> FourCCsByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp4"] = ["mp4v"],
        [".avi"] = ["MJPG", "XVID"],
    };

    private VideoWriter? _writer;
    private string? _tempPath;
    private bool _closed;

    /// <param name="path">Destination, .mp4 or .avi.</param>
    /// <param name="fps">Frame rate written into the container.</param>
    /// <param name="fourCC">Codec: "mp4v" for .mp4; "MJPG" (default) or "XVID" for .avi. Null picks the default.</param>
    /// <exception cref="ArgumentException">Unknown extension, a codec that does not fit it, or a bad frame rate.</exception>
    public VideoSink(string path, double fps = 25, string? fourCC = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!(fps > 0) || !double.IsFinite(fps))
            throw new ArgumentException($"frame rate must be positive, got {fps}", nameof(fps));
        string ext = System.IO.Path.GetExtension(path);
        if (!FourCCsByExtension.TryGetValue(ext, out var allowed))
            throw new ArgumentException(
                $"cannot write video '{path}': unknown extension '{ext}' (use .mp4 or .avi)", nameof(path));
        fourCC ??= allowed[0];
        if (!allowed.Contains(fourCC, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException(
                $"codec '{fourCC}' is not supported for {ext} files (use {string.Join(" or ", allowed)})", nameof(fourCC));
        Path = System.IO.Path.GetFullPath(path);
        Fps = fps;
        FourCC = allowed.First(a => a.Equals(fourCC, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Absolute destination path.</summary>
    public string Path { get; }

    public double Fps { get; }

    /// <summary>The four-character codec code in use.</summary>
    public string FourCC { get; }

    /// <summary>Size of the frames, fixed by the first one written; null before that.</summary>
    public Size? FrameSize { get; private set; }

    public int FramesWritten { get; private set; }

    /// <summary>Appends one CV_8UC3 BGR frame.</summary>
    /// <exception cref="ArgumentException">The frame is empty, not CV_8UC3, or not the size of the first frame.</exception>
    /// <exception cref="IOException">The first frame could not open a writer (codec missing from this OpenCV build).</exception>
    public void Write(Mat frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_closed) throw new ObjectDisposedException(nameof(VideoSink), $"video '{Path}' is already closed");
        if (frame.Empty())
            throw new ArgumentException($"cannot write an empty frame to '{Path}' (frame {FramesWritten})", nameof(frame));
        if (frame.Type() != MatType.CV_8UC3)
            throw new ArgumentException($"video frames must be CV_8UC3 (BGR), got {frame.Type()} for '{Path}'", nameof(frame));
        var size = frame.Size();
        if (_writer is null)
            Start(size);
        else if (size != FrameSize)
            throw new ArgumentException(
                $"frame {FramesWritten} is {size.Width}x{size.Height} but '{Path}' was started at " +
                $"{FrameSize!.Value.Width}x{FrameSize.Value.Height}; all frames of a video must have one size", nameof(frame));
        _writer!.Write(frame);
        FramesWritten++;
    }

    /// <summary>Finishes the file and moves it into place. Nothing is created when no frame was written.</summary>
    public void Close()
    {
        if (_closed) return;
        _closed = true;
        if (_writer is null) return;
        _writer.Release();
        _writer.Dispose();
        _writer = null;
        AtomicFile.Commit(_tempPath!, Path);
    }

    public void Dispose() => Close();

    private void Start(Size size)
    {
        _tempPath = AtomicFile.TemporaryPathFor(Path);
        var writer = new VideoWriter(_tempPath, OpenCvSharp.FourCC.FromString(FourCC), Fps, size, isColor: true);
        if (!writer.IsOpened())
        {
            writer.Dispose();
            AtomicFile.TryDelete(_tempPath);
            throw new IOException(
                $"cannot open a video writer for '{Path}' ({FourCC}, {size.Width}x{size.Height}, {Fps:0.##} fps): " +
                "this OpenCV build may lack the encoder, or the folder is not writable");
        }
        _writer = writer;
        FrameSize = size;
    }
}
