using OpenCvSharp;
using TrackSharp.Imaging;
using Xunit;

namespace TrackSharp.Tests.Imaging;

public class ImageIOTests
{
    [Fact]
    public void Png_RoundTripIsExact_AndLeavesNoTemporaryFile()
    {
        using var dir = new TempDir();
        using var img = new Mat(17, 31, MatType.CV_8UC3);
        Cv2.Randu(img, 0, 256);
        string path = Path.Combine(dir.Path, "nested", "out.png");
        ImageIO.Write(path, img);
        using (var back = ImageIO.Read(path))
            TensorImageTests.AssertSameImage(img, back);

        // Overwriting replaces the file.
        using var other = new Mat(5, 6, MatType.CV_8UC3, new Scalar(1, 2, 3));
        ImageIO.Write(path, other);
        using (var back = ImageIO.Read(path))
            TensorImageTests.AssertSameImage(other, back);
        Assert.Equal(["out.png"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Jpeg_WritesAndReadsBackSameSize()
    {
        using var dir = new TempDir();
        using var img = new Mat(40, 50, MatType.CV_8UC3, new Scalar(10, 128, 250));
        ImageIO.Write(dir.File("a.jpeg"), img, jpegQuality: 90);
        using var back = ImageIO.Read(dir.File("a.jpeg"));
        Assert.Equal(img.Size(), back.Size());
        // A flat colour survives JPEG to within a few levels.
        var mean = Cv2.Mean(back);
        Assert.InRange(mean.Val0, 5, 15);
        Assert.InRange(mean.Val2, 245, 255);
    }

    [Fact]
    public void UnknownExtension_IsAClearError()
    {
        using var dir = new TempDir();
        using var img = new Mat(4, 4, MatType.CV_8UC3, Scalar.All(0));
        var e = Assert.Throws<ArgumentException>(() => ImageIO.Write(dir.File("a.gif"), img));
        Assert.Contains(".gif", e.Message);
        Assert.Contains("a.gif", e.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Read_MissingOrCorrupt_NamesTheFile()
    {
        using var dir = new TempDir();
        var e1 = Assert.Throws<FileNotFoundException>(() => ImageIO.Read(dir.File("none.png")));
        Assert.Contains("none.png", e1.Message);
        File.WriteAllText(dir.File("bad.png"), "not a png");
        var e2 = Assert.Throws<IOException>(() => ImageIO.Read(dir.File("bad.png")));
        Assert.Contains("bad.png", e2.Message);
    }
}
