namespace TrackSharp.Imaging;

/// <summary>
/// Opens the right <see cref="IFrameSource"/> for what a user typed, so every command accepts the same inputs:
/// <list type="bullet">
/// <item>digits only ("0", "1"): a camera index (write "./0" for a folder named 0);</item>
/// <item>a URL (rtsp, rtsps, rtmp, http, https, udp, tcp, srt): a network stream;</item>
/// <item>an existing folder: its images in natural order;</item>
/// <item>an existing .txt / .lst / .list file: a list of image paths;</item>
/// <item>any other existing file: a video.</item>
/// </list>
/// </summary>
public static class FrameSources
{
    private static readonly HashSet<string> StreamSchemes = new(StringComparer.OrdinalIgnoreCase)
        { "rtsp", "rtsps", "rtmp", "http", "https", "udp", "tcp", "srt" };

    private static readonly HashSet<string> ListExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".txt", ".lst", ".list" };

    /// <exception cref="FrameSourceException">With one message naming the input: it does not exist, cannot be
    /// opened, the folder has no images, the list is empty, or it is a single image.</exception>
    public static IFrameSource Open(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw new FrameSourceException(spec ?? "", "no input given: expected a video, image folder, list file, camera index or stream URL");
        spec = spec.Trim();
        if (spec.All(char.IsAsciiDigit))
        {
            if (!int.TryParse(spec, out int index))
                throw new FrameSourceException(spec, $"camera index '{spec}' is out of range");
            return new CameraSource(index);
        }
        if (spec.Contains("://", StringComparison.Ordinal)
            && Uri.TryCreate(spec, UriKind.Absolute, out var uri) && StreamSchemes.Contains(uri.Scheme))
            return new CameraSource(spec);
        if (Directory.Exists(spec))
            return new ImageFolderSource(spec);
        if (!File.Exists(spec))
            throw new FrameSourceException(spec, $"'{spec}' does not exist (expected a video, image folder, list file, camera index or stream URL)");
        string ext = Path.GetExtension(spec);
        if (ListExtensions.Contains(ext))
            return new ImageListSource(spec);
        if (ImageFileReader.HasImageExtension(spec))
            throw new FrameSourceException(spec, $"'{spec}' is a single image; give its folder or a list file of images");
        return new VideoFileSource(spec);
    }
}
