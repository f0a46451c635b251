using OpenCvSharp;
using TrackSharp.Data.Processing;
using Xunit;

namespace TrackSharp.Tests.Data.Processing;

/// <summary>
/// The shared image half of the joint transform: no draw gives no copy; grayscale is OpenCV's BGR2GRAY
/// (Y = 0.299 R + 0.587 G + 0.114 B, rounded) copied to three channels; the flip mirrors columns; the input is untouched.
/// Expected pixels are computed by hand for a 1 × 2 frame with pixels (B, G, R) = (10, 20, 30) and (200, 100, 50):
/// Y = 21.85 → 22 and 96.45 → 96.
/// </summary>
public sealed class JointFrameTransformTests
{
    private static Mat Frame()
    {
        var m = new Mat(1, 2, MatType.CV_8UC3);
        m.Set(0, 0, new Vec3b(10, 20, 30));
        m.Set(0, 1, new Vec3b(200, 100, 50));
        return m;
    }

    private static (Vec3b Left, Vec3b Right) Pixels(Mat m) => (m.Get<Vec3b>(0, 0), m.Get<Vec3b>(0, 1));

    [Fact]
    public void NoDrawGivesNoCopy()
    {
        using var frame = Frame();
        Assert.Null(JointFrameTransform.Apply(frame, gray: false, flip: false));
    }

    [Fact]
    public void FlipMirrorsTheColumnsAndKeepsTheColours()
    {
        using var frame = Frame();
        using var flipped = JointFrameTransform.Apply(frame, gray: false, flip: true);
        Assert.NotNull(flipped);
        Assert.Equal((new Vec3b(200, 100, 50), new Vec3b(10, 20, 30)), Pixels(flipped));
        Assert.Equal((new Vec3b(10, 20, 30), new Vec3b(200, 100, 50)), Pixels(frame));
    }

    [Fact]
    public void GrayscaleCopiesTheLumaToThreeChannels()
    {
        using var frame = Frame();
        using var gray = JointFrameTransform.Apply(frame, gray: true, flip: false);
        Assert.NotNull(gray);
        Assert.Equal(MatType.CV_8UC3, gray.Type());
        Assert.Equal((new Vec3b(22, 22, 22), new Vec3b(96, 96, 96)), Pixels(gray));
    }

    [Fact]
    public void GrayscaleAndFlipTogether()
    {
        using var frame = Frame();
        using var both = JointFrameTransform.Apply(frame, gray: true, flip: true);
        Assert.NotNull(both);
        Assert.Equal((new Vec3b(96, 96, 96), new Vec3b(22, 22, 22)), Pixels(both));
        Assert.Equal((new Vec3b(10, 20, 30), new Vec3b(200, 100, 50)), Pixels(frame));
    }
}
