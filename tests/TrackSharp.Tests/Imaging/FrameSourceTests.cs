using OpenCvSharp;
using TrackSharp.Imaging;
using Xunit;

namespace TrackSharp.Tests.Imaging;

public class FrameSourceTests
{
    /// <summary>Writes a solid-colour 16x12 image whose blue value identifies it.</summary>
    private static void WriteSolid(string path, byte blue)
    {
        using var m = new Mat(12, 16, MatType.CV_8UC3, new Scalar(blue, 0, 0));
        Assert.True(Cv2.ImWrite(path, m));
    }

    private static List<(int Index, string File, string? Error, bool Valid)> Drain(IFrameSource source)
    {
        var result = new List<(int, string, string?, bool)>();
        foreach (var f in source.Frames())
            using (f)
                result.Add((f.Index, Path.GetFileName(f.SourcePath), f.Error, f.IsValid));
        return result;
    }

    [Fact]
    public void Folder_NaturalOrder_IgnoresNonImages()
    {
        using var dir = new TempDir();
        WriteSolid(dir.File("0010.jpg"), 30);
        WriteSolid(dir.File("0002.jpg"), 20);
        WriteSolid(dir.File("0001.jpg"), 10);
        File.WriteAllBytes(dir.File(".DS_Store"), [0, 0, 0, 1, 66, 117, 100, 49]);
        File.WriteAllText(dir.File("groundtruth.txt"), "1,2,3,4\n");

        using var source = FrameSources.Open(dir.Path);
        Assert.IsType<ImageFolderSource>(source);
        Assert.Equal(3, source.Count);
        var frames = Drain(source);
        Assert.Equal(["0001.jpg", "0002.jpg", "0010.jpg"], frames.Select(f => f.File));
        Assert.Equal([0, 1, 2], frames.Select(f => f.Index));
        Assert.All(frames, f => Assert.True(f.Valid));
    }

    [Fact]
    public void Folder_UnpaddedNumbers_SortNumerically()
    {
        using var dir = new TempDir();
        foreach (var name in new[] { "10.png", "2.png", "1.png", "frame9.bmp", "frame11.bmp" })
            WriteSolid(dir.File(name), 1);
        File.WriteAllBytes(dir.File("._1.png"), [0, 5, 22, 7]); // macOS resource fork: hidden, ignored
        using var source = new ImageFolderSource(dir.Path);
        Assert.Equal(["1.png", "2.png", "10.png", "frame9.bmp", "frame11.bmp"], source.Files.Select(Path.GetFileName));
    }

    [Fact]
    public void Folder_CorruptImageInTheMiddle_IsReportedAndEnumerationContinues()
    {
        using var dir = new TempDir();
        WriteSolid(dir.File("0001.jpg"), 10);
        File.WriteAllBytes(dir.File("0002.jpg"), "this is not a JPEG at all"u8.ToArray());
        WriteSolid(dir.File("0003.jpg"), 30);

        using var source = FrameSources.Open(dir.Path); // opening decodes nothing, so it does not fail
        var frames = Drain(source);
        Assert.Equal(3, frames.Count);
        Assert.True(frames[0].Valid);
        Assert.False(frames[1].Valid);
        Assert.Equal(1, frames[1].Index);
        Assert.Contains("0002.jpg", frames[1].Error);
        Assert.Contains("frame 1", frames[1].Error);
        Assert.True(frames[2].Valid);
    }

    [Fact]
    public void Folder_TruncatedJpeg_IsReported()
    {
        using var dir = new TempDir();
        using (var m = new Mat(64, 64, MatType.CV_8UC3))
        {
            Cv2.Randu(m, 0, 255);
            Assert.True(Cv2.ImWrite(dir.File("a.jpg"), m));
        }
        byte[] full = File.ReadAllBytes(dir.File("a.jpg"));
        File.WriteAllBytes(dir.File("a.jpg"), full[..(full.Length / 2)]);
        using var source = new ImageFolderSource(dir.Path);
        var frame = Assert.Single(Drain(source));
        Assert.False(frame.Valid);
        Assert.Contains("a.jpg", frame.Error);
        Assert.Contains("truncated", frame.Error);
    }

    [Fact]
    public void List_ResolvesRelativePaths_SkipsCommentsAndBlanks_NamesLineOfMissingFile()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("sub"));
        WriteSolid(dir.File("a.png"), 1);
        WriteSolid(dir.File(Path.Combine("sub", "b.png")), 2);
        File.WriteAllText(dir.File("frames.txt"), "# my frames\n\na.png\nsub/b.png\nmissing.png\n");

        // Opened from another working directory: paths are relative to the list's folder, not the cwd.
        using var source = FrameSources.Open(dir.File("frames.txt"));
        Assert.IsType<ImageListSource>(source);
        Assert.Equal(3, source.Count);
        var frames = Drain(source);
        Assert.True(frames[0].Valid);
        Assert.True(frames[1].Valid);
        Assert.Equal("b.png", frames[1].File);
        Assert.False(frames[2].Valid);
        Assert.Contains("frames.txt line 5", frames[2].Error);
        Assert.Contains("missing.png", frames[2].Error);
    }

    [Fact]
    public void Errors_NameThePath()
    {
        using var dir = new TempDir();
        string missing = dir.File("nope.mp4");
        var e1 = Assert.Throws<FrameSourceException>(() => FrameSources.Open(missing));
        Assert.Contains(missing, e1.Message);
        Assert.Contains("does not exist", e1.Message);
        Assert.Equal(missing, e1.Path);

        string empty = dir.File("empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, ".DS_Store"), "x");
        var e2 = Assert.Throws<FrameSourceException>(() => FrameSources.Open(empty));
        Assert.Contains(empty, e2.Message);
        Assert.Contains("no images", e2.Message);

        string list = dir.File("list.txt");
        File.WriteAllText(list, "# nothing here\n\n   \n");
        var e3 = Assert.Throws<FrameSourceException>(() => FrameSources.Open(list));
        Assert.Contains(list, e3.Message);
        Assert.Contains("names no images", e3.Message);

        string garbage = dir.File("broken.avi");
        File.WriteAllBytes(garbage, new byte[4096]);
        var e4 = Assert.Throws<FrameSourceException>(() => FrameSources.Open(garbage));
        Assert.Contains(garbage, e4.Message);
        Assert.Contains("cannot open video", e4.Message);

        Assert.Throws<FrameSourceException>(() => FrameSources.Open("  "));
    }

    [Fact]
    public void Camera_ThatDoesNotExist_Throws()
    {
        var e = Assert.Throws<FrameSourceException>(() => FrameSources.Open("57"));
        Assert.Contains("camera 57", e.Message);
    }

    [Fact]
    public void NaturalComparer_OrdersNumbersByValue()
    {
        string[] names = ["img10.jpg", "img2.jpg", "img1.jpg", "IMG3.jpg", "img02.jpg", "a", "100", "99"];
        var sorted = names.OrderBy(n => n, NaturalStringComparer.Instance).ToArray();
        Assert.Equal(["99", "100", "a", "img1.jpg", "img02.jpg", "img2.jpg", "IMG3.jpg", "img10.jpg"], sorted);
    }
}
