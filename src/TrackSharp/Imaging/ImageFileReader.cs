using OpenCvSharp;

namespace TrackSharp.Imaging;

/// <summary>
/// Reads one image file for the image-based frame sources, turning every failure into an error message that
/// names the file instead of an exception. OpenCV's own <c>imread</c> returns an empty image without saying
/// why, and silently decodes a truncated JPEG (grey bottom rows, a warning on stderr); both are caught here.
/// </summary>
internal static class ImageFileReader
{
    /// <summary>Extensions the image sources pick up (lower case, with the dot).</summary>
    public static readonly IReadOnlySet<string> Extensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".webp" };

    public static bool HasImageExtension(string path) => Extensions.Contains(Path.GetExtension(path));

    /// <summary>Decodes <paramref name="path"/> as BGR uint8; on failure returns null and sets <paramref name="error"/>.</summary>
    public static Mat? TryRead(string path, out string? error)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = File.Exists(path) ? $"cannot read '{path}': {e.Message}" : $"'{path}' does not exist";
            return null;
        }
        if (bytes.Length == 0)
        {
            error = $"'{path}' is empty (0 bytes)";
            return null;
        }
        if (IsJpeg(bytes) && !HasJpegEnd(bytes))
        {
            error = $"'{path}' is a truncated JPEG (no end-of-image marker)";
            return null;
        }
        Mat image;
        try
        {
            // Same decoder and flags as cv2.imread(path) (IMREAD_COLOR applies the EXIF orientation), so pixels
            // match the reference implementations byte for byte.
            image = Cv2.ImDecode(bytes, ImreadModes.Color);
        }
        catch (OpenCVException e)
        {
            error = $"'{path}' could not be decoded as an image: {e.Message}";
            return null;
        }
        if (image.Empty())
        {
            image.Dispose();
            error = $"'{path}' could not be decoded as an image (corrupt or unsupported format)";
            return null;
        }
        error = null;
        return image;
    }

    private static bool IsJpeg(byte[] b) => b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF;

    /// <summary>
    /// True when an end-of-image marker (FF D9) appears near the end. Some writers append padding or
    /// metadata after it, so the last few kilobytes are searched rather than only the last two bytes.
    /// </summary>
    private static bool HasJpegEnd(byte[] b)
    {
        int start = Math.Max(2, b.Length - 4096);
        for (int i = b.Length - 2; i >= start; i--)
            if (b[i] == 0xFF && b[i + 1] == 0xD9)
                return true;
        return false;
    }
}
