using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Imaging;
using Xunit;

namespace TrackSharp.Tests.Imaging;

public class AnnotatorTests
{
    private static readonly Vec3b Black = new(0, 0, 0);

    private static Vec3b ToVec(Scalar s) => new((byte)s.Val0, (byte)s.Val1, (byte)s.Val2);

    [Fact]
    public void Box_OutlinesTheOutermostPixelsInsideTheBox()
    {
        using var img = new Mat(80, 100, MatType.CV_8UC3, Scalar.All(0));
        var green = new Scalar(0, 255, 0);
        // x 10..40, y 20..60 → columns 10 and 39, rows 20 and 59.
        Annotator.DrawBox(img, new BoxXywh(10, 20, 30, 40), green, thickness: 1);
        foreach (var (x, y) in new[] { (10, 20), (39, 20), (10, 59), (39, 59), (25, 20), (10, 40) })
            Assert.Equal(ToVec(green), img.At<Vec3b>(y, x));
        foreach (var (x, y) in new[] { (9, 20), (40, 20), (10, 19), (10, 60), (25, 40), (11, 21) })
            Assert.Equal(Black, img.At<Vec3b>(y, x));
    }

    [Fact]
    public void DashedBox_LeavesGapsAlongTheEdge()
    {
        using var img = new Mat(80, 100, MatType.CV_8UC3, Scalar.All(0));
        Annotator.DrawBox(img, new BoxXywh(10, 20, 30, 40), TargetPalette.Lost, thickness: 1, dashed: true);
        // Top edge from x=10: dash of 6 px (10..15), gap of 4 (16..19), dash (20..25) ...
        Assert.Equal(ToVec(TargetPalette.Lost), img.At<Vec3b>(20, 12));
        Assert.Equal(Black, img.At<Vec3b>(20, 17));
        Assert.Equal(ToVec(TargetPalette.Lost), img.At<Vec3b>(20, 22));
    }

    [Fact]
    public void InvalidBox_DrawsNothing()
    {
        using var img = new Mat(20, 20, MatType.CV_8UC3, Scalar.All(0));
        Annotator.DrawTarget(img, new BoxXywh(double.NaN, 1, 5, 5), 0, "x", 0.5);
        Annotator.DrawBox(img, new BoxXywh(1, 1, 0, 5), Scalar.White);
        using var flat = img.Reshape(1);
        Assert.Equal(0, Cv2.CountNonZero(flat));
    }

    [Fact]
    public void Target_HasLabelWithFilledBackgroundAboveTheBox()
    {
        using var img = new Mat(120, 160, MatType.CV_8UC3, Scalar.All(0));
        var box = new BoxXywh(30, 50, 60, 40);
        Annotator.DrawTarget(img, box, targetIndex: 1, name: "nanotrack", score: 0.934);
        var color = ToVec(TargetPalette.ColorFor(1));
        Assert.Equal(color, img.At<Vec3b>(50, 30));  // box corner
        Assert.Equal(color, img.At<Vec3b>(49, 30));  // label background just above the corner (left padding)
        Assert.Equal(color, img.At<Vec3b>(49, 31));
        Assert.Equal(Black, img.At<Vec3b>(20, 30));  // far above: untouched
    }

    [Fact]
    public void Label_AtTheTopEdge_GoesInsideTheBox()
    {
        using var img = new Mat(60, 80, MatType.CV_8UC3, Scalar.All(0));
        Annotator.DrawLabel(img, new BoxXywh(10, 0, 40, 30), "x", new Scalar(255, 0, 0));
        Assert.Equal(new Vec3b(255, 0, 0), img.At<Vec3b>(1, 11));
    }

    [Fact]
    public void LostTarget_IsRed()
    {
        using var img = new Mat(120, 160, MatType.CV_8UC3, Scalar.All(0));
        Annotator.DrawTarget(img, new BoxXywh(30, 50, 60, 40), targetIndex: 0, name: "nanotrack", score: 0.1, lost: true);
        Assert.Equal(new Vec3b(0, 0, 255), img.At<Vec3b>(50, 30));
        Assert.Equal(new Vec3b(0, 0, 255), img.At<Vec3b>(49, 30));
    }

    [Fact]
    public void Labels_AreFormattedForPeople()
    {
        Assert.Equal("nanotrack 0.93", Annotator.FormatLabel("nanotrack", 0.934, lost: false));
        Assert.Equal("nanotrack LOST", Annotator.FormatLabel("nanotrack", 0.934, lost: true));
        Assert.Equal("0.50", Annotator.FormatLabel(null, 0.5, lost: false));
        Assert.Equal("frame 12/196  25.0 fps", Annotator.FormatFrameInfo(12, 25, 196));
        Assert.Equal("frame 3", Annotator.FormatFrameInfo(3));
    }

    [Fact]
    public void FrameInfo_DrawsDarkPanelTopLeft()
    {
        using var img = new Mat(100, 200, MatType.CV_8UC3, Scalar.All(255));
        Annotator.DrawFrameInfo(img, 12, 25.0, 196);
        Assert.Equal(Black, img.At<Vec3b>(0, 0));
        Assert.Equal(new Vec3b(255, 255, 255), img.At<Vec3b>(99, 199));
    }

    [Fact]
    public void Palette_IsDistinctFixedAndNeverRed()
    {
        var colors = Enumerable.Range(0, TargetPalette.Count).Select(i => ToVec(TargetPalette.ColorFor(i))).ToList();
        Assert.Equal(colors.Count, colors.Distinct().Count());
        Assert.DoesNotContain(ToVec(TargetPalette.Lost), colors);
        Assert.Equal(TargetPalette.ColorFor(0), TargetPalette.ColorFor(TargetPalette.Count));
        Assert.True(TargetPalette.Count >= 8);
    }
}
