using OpenCvSharp;

namespace TrackSharp.Tests.Detection.Data;

/// <summary>A temporary folder for hand-made COCO / VOC fixtures; deleted on dispose.</summary>
internal sealed class DetectionDatasetFixture : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"tracksharp-detdata-{Guid.NewGuid():N}");

    public DetectionDatasetFixture() => Directory.CreateDirectory(Root);

    public string Write(string relative, string text)
    {
        string path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A solid-colour BGR image of the given size.</summary>
    public string WriteImage(string relative, int width, int height, byte b = 40, byte g = 120, byte r = 200)
    {
        string path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var m = new Mat(height, width, MatType.CV_8UC3, new Scalar(b, g, r));
        Cv2.ImWrite(path, m);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
