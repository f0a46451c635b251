using OpenCvSharp;

namespace TrackSharp.Imaging;

/// <summary>
/// Live frames from a camera (by index, as OpenCV numbers them) or a network stream (rtsp://, http://, ...).
/// Nothing is known in advance about the number of frames, so the first failed read ends the sequence
/// (a disconnected camera or a closed stream). Enumerating again continues from the live position.
/// </summary>
public sealed class CameraSource : IFrameSource
{
    private readonly VideoCapture _capture;

    /// <exception cref="FrameSourceException">No camera with that index can be opened.</exception>
    public CameraSource(int cameraIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cameraIndex);
        Name = cameraIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Description = $"camera {cameraIndex}";
        _capture = new VideoCapture(cameraIndex);
        Fps = ThrowIfNotOpened(Name, $"cannot open camera {cameraIndex} (no such device, or it is in use)");
    }

    /// <exception cref="FrameSourceException">The stream cannot be opened.</exception>
    public CameraSource(string streamUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamUrl);
        Name = streamUrl;
        Description = $"stream {Redact(streamUrl)}";
        _capture = new VideoCapture(streamUrl);
        Fps = ThrowIfNotOpened(streamUrl, $"cannot open stream '{Redact(streamUrl)}' (unreachable, or not a video stream)");
    }

    /// <summary>The camera index or the stream URL as given.</summary>
    public string Name { get; }

    public int? Count => null;

    public double? Fps { get; }

    /// <summary>"camera N" or "stream URL" with any user:password in the URL hidden.</summary>
    public string Description { get; }

    public IEnumerable<Frame> Frames() => CaptureReader.Read(_capture, Name, announcedCount: null);

    public void Dispose() => _capture.Dispose();

    private double? ThrowIfNotOpened(string path, string message)
    {
        if (!_capture.IsOpened())
        {
            _capture.Dispose();
            throw new FrameSourceException(path, message);
        }
        double fps = _capture.Get(VideoCaptureProperties.Fps);
        return fps > 0 && double.IsFinite(fps) ? fps : null;
    }

    /// <summary>Hides credentials so that logs and error messages do not leak them.</summary>
    internal static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? url.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal)
            : url;
}
