using OpenCvSharp;

namespace TrackSharp.Imaging;

/// <summary>
/// Frames of a video file, decoded by OpenCV's FFmpeg backend. Opening reads only the header (frame count,
/// FPS, size); frames are decoded as they are enumerated. A frame that fails to decode inside the announced
/// frame count is delivered as an unreadable frame rather than ending the run early without a word.
/// </summary>
public sealed class VideoFileSource : IFrameSource
{
    private VideoCapture? _capture;
    private bool _captureUsed;

    /// <exception cref="FrameSourceException">The file does not exist or OpenCV cannot open it as a video.</exception>
    public VideoFileSource(string path)
    {
        if (!File.Exists(path))
            throw new FrameSourceException(path, $"video file '{path}' does not exist");
        Path = System.IO.Path.GetFullPath(path);
        _capture = Open(Path);
        double frames = _capture.Get(VideoCaptureProperties.FrameCount);
        double fps = _capture.Get(VideoCaptureProperties.Fps);
        Count = frames >= 1 && double.IsFinite(frames) ? (int)frames : null;
        Fps = fps > 0 && double.IsFinite(fps) ? fps : null;
        Width = _capture.FrameWidth;
        Height = _capture.FrameHeight;
    }

    /// <summary>Absolute path of the video.</summary>
    public string Path { get; }

    /// <summary>Frame width in pixels, from the header.</summary>
    public int Width { get; }

    /// <summary>Frame height in pixels, from the header.</summary>
    public int Height { get; }

    public int? Count { get; }

    public double? Fps { get; }

    public string Description =>
        $"video {Path} ({Width}x{Height}, {(Count is int n ? $"{n} frames" : "frame count unknown")}" +
        $"{(Fps is double f ? $", {f:0.##} fps" : "")})";

    /// <inheritdoc/>
    /// <remarks>One enumeration at a time: a new enumeration restarts the shared capture.</remarks>
    public IEnumerable<Frame> Frames()
    {
        ObjectDisposedException.ThrowIf(_capture is null, this);
        return Enumerate();
    }

    private IEnumerable<Frame> Enumerate()
    {
        ObjectDisposedException.ThrowIf(_capture is null, this);
        // The capture opened by the constructor serves the first enumeration; later ones start from a fresh
        // capture, because seeking back to frame 0 is not exact for every codec.
        if (_captureUsed)
        {
            _capture.Dispose();
            _capture = Open(Path);
        }
        _captureUsed = true;
        foreach (var frame in CaptureReader.Read(_capture, Path, Count))
            yield return frame;
    }

    public void Dispose()
    {
        _capture?.Dispose();
        _capture = null;
    }

    private static VideoCapture Open(string path)
    {
        var capture = new VideoCapture(path);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new FrameSourceException(path,
                $"cannot open video '{path}' (corrupt file, or a format this OpenCV build cannot decode)");
        }
        return capture;
    }
}
