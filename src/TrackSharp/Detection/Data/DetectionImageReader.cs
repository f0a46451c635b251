using OpenCvSharp;

namespace TrackSharp.Detection.Data;

/// <summary>
/// Decodes dataset images as the reference's <c>PIL.Image.open(path).convert("RGB")</c> sees them, as BGR uint8:
/// EXIF orientation is NOT applied (PIL ignores it, while <c>cv2.imread</c> rotates by default), grey images become
/// three equal channels. Annotations refer to the stored, unrotated pixels, so rotating would misplace the boxes.
/// </summary>
public static class DetectionImageReader
{
    public static Mat Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"image '{path}' does not exist", path);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new IOException($"image '{path}' cannot be read: {e.Message}", e); }
        var image = Cv2.ImDecode(bytes, ImreadModes.Color | ImreadModes.IgnoreOrientation);
        if (image is null || image.Empty())
        {
            image?.Dispose();
            throw new DetectionDataException(path, "cannot be decoded as an image (corrupt or unsupported format)");
        }
        return image;
    }
}
