using OpenCvSharp;

namespace TrackSharp.Imaging;

/// <summary>
/// Reading and writing single images. Writes are atomic: the image is encoded in memory, written to a
/// temporary file in the destination folder and renamed over the destination, so a crash or a full disk never
/// leaves a half-written PNG that a later run would take for a result.
/// </summary>
public static class ImageIO
{
    /// <summary>
    /// Writes <paramref name="image"/> as PNG (.png, lossless) or JPEG (.jpg/.jpeg), chosen by the extension.
    /// Creates the folder if needed and replaces an existing file.
    /// </summary>
    /// <param name="path">Destination; the extension picks the format.</param>
    /// <param name="image">A non-empty 8-bit image (1, 3 or 4 channels).</param>
    /// <param name="jpegQuality">JPEG quality 0..100 (ignored for PNG). 95 is what the reference data used.</param>
    /// <exception cref="ArgumentException">Unknown extension, or an empty image.</exception>
    /// <exception cref="IOException">The image could not be encoded or the file not written; names the path.</exception>
    public static void Write(string path, Mat image, int jpegQuality = 95)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty())
            throw new ArgumentException($"cannot write an empty image to '{path}'", nameof(image));
        ArgumentOutOfRangeException.ThrowIfLessThan(jpegQuality, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jpegQuality, 100);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        int[] parameters = ext switch
        {
            ".png" => [(int)ImwriteFlags.PngCompression, 3],
            ".jpg" or ".jpeg" => [(int)ImwriteFlags.JpegQuality, jpegQuality],
            _ => throw new ArgumentException(
                $"cannot write '{path}': unknown image extension '{ext}' (use .png, .jpg or .jpeg)", nameof(path)),
        };
        byte[] bytes;
        try
        {
            if (!Cv2.ImEncode(ext, image, out bytes, parameters))
                throw new IOException($"OpenCV could not encode the image as {ext} for '{path}'");
        }
        catch (OpenCVException e)
        {
            throw new IOException($"OpenCV could not encode a {image.Type()} image as {ext} for '{path}': {e.Message}", e);
        }
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>
    /// Reads an image as BGR uint8 (CV_8UC3), decoded exactly as <c>cv2.imread(path)</c> decodes it.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file cannot be read or decoded; the message names it.</exception>
    public static Mat Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"image '{path}' does not exist", path);
        return ImageFileReader.TryRead(path, out string? error) ?? throw new IOException(error);
    }
}
