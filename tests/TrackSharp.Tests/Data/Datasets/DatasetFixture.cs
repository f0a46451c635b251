using OpenCvSharp;

namespace TrackSharp.Tests.Data.Datasets;

/// <summary>A temporary folder in which a test writes a small dataset (grey 32x24 JPEG frames, text files).</summary>
internal sealed class DatasetFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("tracksharp-datasets-").FullName;

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Writes <paramref name="count"/> frames named by <paramref name="nameFormat"/> (e.g. "{0:D8}.jpg") from 1.</summary>
    public string Frames(string folder, int count, string nameFormat = "{0:D8}.jpg", int first = 1)
    {
        string dir = PathOf(folder);
        Directory.CreateDirectory(dir);
        using var image = new Mat(24, 32, MatType.CV_8UC3, new Scalar(90, 120, 150));
        Cv2.ImEncode(Path.GetExtension(nameFormat), image, out byte[] bytes);
        for (int i = 0; i < count; i++)
            File.WriteAllBytes(Path.Combine(dir, string.Format(System.Globalization.CultureInfo.InvariantCulture, nameFormat, first + i)), bytes);
        return dir;
    }

    public string Text(string relative, string content)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Copies a folder tree (used to damage copies of shared/data, which is read-only).</summary>
    public string Copy(string source, string relative)
    {
        string target = PathOf(relative);
        foreach (string dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, dir)));
        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(target, Path.GetRelativePath(source, file));
            File.Copy(file, to);
            File.SetAttributes(to, FileAttributes.Normal);
        }
        return target;
    }

    public static string Lines(int count, Func<int, string> line) =>
        string.Concat(Enumerable.Range(0, count).Select(i => line(i) + "\n"));

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
