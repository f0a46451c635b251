using OpenCvSharp;
using TrackSharp.Data.Processing;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Data.Processing;

/// <summary>pysot's augmentation with replayed draws; expected values worked out by hand from augmentation.py.</summary>
public class PysotAugmentationTests
{
    /// <summary>511x511 image: blue = x mod 256, green = y mod 256, red = (x + y) mod 256.</summary>
    private static Mat Image511()
    {
        var image = new Mat(511, 511, MatType.CV_8UC3);
        for (int y = 0; y < 511; y++)
            for (int x = 0; x < 511; x++)
                image.Set(y, x, new Vec3b((byte)(x % 256), (byte)(y % 256), (byte)((x + y) % 256)));
        return image;
    }

    [Fact]
    public void WithoutShiftOrScaleTheTemplateIsTheCentral127Square()
    {
        using var image = Image511();
        var aug = new PysotAugmentation(new PysotAugmentationOptions(0, 0, 0, 0, 0));
        // Only the colour and blur checks draw (flip 0 is not drawn): two uniforms.
        var draws = new ReplayAugmentationDraws([0.5, 0.5]);
        using var crop = aug.Apply(image, new BoxXyxy(230, 240, 280, 270), 127, gray: false, draws);
        Assert.Equal((0, 0, 0), draws.Remaining);
        // Window: centre (255, 255), side 126: x1 = 192, x2 = 318; a = 126/126 = 1 -> an exact copy of [192, 318].
        Assert.Equal(MatType.CV_32FC3, crop.Image.Type());
        foreach (var (u, v) in new[] { (0, 0), (126, 126), (5, 100), (63, 63) })
        {
            var p = crop.Image.At<Vec3f>(v, u);
            var q = image.At<Vec3b>(192 + v, 192 + u);
            Assert.Equal(new Vec3f(q.Item0, q.Item1, q.Item2), p);
        }
        Assert.Equal(new BoxXyxy(38, 48, 88, 78), crop.Box);
    }

    [Fact]
    public void ScaleThenShiftMoveTheWindowAndTheBoxAsComputedByHand()
    {
        var aug = new PysotAugmentation(new PysotAugmentationOptions(Shift: 64, Scale: 0.2, Blur: 0, Flip: 0, Color: 0));
        // u -> 2u - 1: 0.75 -> 0.5, 0.25 -> -0.5, 0.75 -> 0.5, 0.5 -> 0.
        var draws = new ReplayAugmentationDraws([0.75, 0.25, 0.75, 0.5]);
        var (window, box) = aug.ShiftScale(511, 511, new BoxXyxy(200, 220, 300, 290), 255, draws);
        // scale_x = 1.1, scale_y = 0.9: window 254*1.1 = 279.4 by 254*0.9 = 228.6 around 255 -> x1 = 115.3, y1 = 140.7;
        // shift sx = 32, sy = 0 -> x1 = 147.3, x2 = 426.7, y1 = 140.7, y2 = 369.3.
        Assert.Equal(147.3, window.X1, 9);
        Assert.Equal(426.7, window.X2, 9);
        Assert.Equal(140.7, window.Y1, 9);
        Assert.Equal(369.3, window.Y2, 9);
        // Box relative to (147.3, 140.7): (52.7, 79.3, 152.7, 149.3), divided by (1.1, 0.9).
        Assert.Equal(52.7 / 1.1, box.X1, 9);
        Assert.Equal(79.3 / 0.9, box.Y1, 9);
        Assert.Equal(152.7 / 1.1, box.X2, 9);
        Assert.Equal(149.3 / 0.9, box.Y2, 9);
    }

    [Fact]
    public void ShiftIsClampedToKeepTheWindowInsideTheImage()
    {
        var aug = new PysotAugmentation(new PysotAugmentationOptions(Shift: 500, Scale: 0, Blur: 0, Flip: 0, Color: 0));
        // sx = +500 -> at most W - 1 - x2 = 510 - 382 = 128; sy = -500 -> at least -y1 = -128.
        var (window, _) = aug.ShiftScale(511, 511, new BoxXyxy(0, 0, 1, 1), 255, new ReplayAugmentationDraws([1.0, 0.0]));
        Assert.Equal(new BoxXyxy(256, 0, 510, 254), window);
    }

    [Fact]
    public void ColourSubtractsThePcaOffsetInBgrOrder()
    {
        using var image = Image511();
        var aug = new PysotAugmentation(new PysotAugmentationOptions(0, 0, 0, 0, Color: 1));
        // normals (1, 0, 0): offset = first column of rgbVar = (r -0.55919361, g 1.72091413, b 4.64467907).
        var draws = new ReplayAugmentationDraws([0.5, 0.5], [1.0, 0.0, 0.0]);
        using var crop = aug.Apply(image, new BoxXyxy(230, 240, 280, 270), 127, false, draws);
        var src = image.At<Vec3b>(192 + 10, 192 + 20);
        var p = crop.Image.At<Vec3f>(10, 20);
        Assert.Equal(src.Item0 - 4.64467907, p.Item0, 4);
        Assert.Equal(src.Item1 - 1.72091413, p.Item1, 4);
        Assert.Equal(src.Item2 + 0.55919361, p.Item2, 4);
    }

    [Fact]
    public void BlurWithWxOneIsAVerticalFiveTapMean()
    {
        using var image = new Mat(511, 511, MatType.CV_8UC3, Scalar.All(0));
        using (var row = image.Row(255)) row.SetTo(new Scalar(255, 255, 255)); // one bright row through the centre
        var aug = new PysotAugmentation(new PysotAugmentationOptions(0, 0, Blur: 1, Flip: 0, Color: 0));
        // colour check, blur check, kernel size index 0 (size 5), wx = 1: the centre column holds 1/5.
        var draws = new ReplayAugmentationDraws([0.5, 0.5, 1.0], indices: [0]);
        using var crop = aug.Apply(image, new BoxXyxy(230, 240, 280, 270), 127, false, draws);
        // Crop row 63 is image row 255; rows 61..65 see the bright row once: 255 / 5 = 51; row 60 and 66 see nothing.
        foreach (int row in new[] { 61, 62, 63, 64, 65 }) Assert.Equal(51f, crop.Image.At<Vec3f>(row, 40).Item0);
        Assert.Equal(0f, crop.Image.At<Vec3f>(60, 40).Item0);
        Assert.Equal(0f, crop.Image.At<Vec3f>(66, 40).Item0);
    }

    [Fact]
    public void FlipMirrorsTheImageAndTheBox()
    {
        using var image = Image511();
        var aug = new PysotAugmentation(new PysotAugmentationOptions(0, 0, 0, Flip: 1, Color: 0));
        var draws = new ReplayAugmentationDraws([0.5, 0.5, 0.5]);
        using var crop = aug.Apply(image, new BoxXyxy(200, 240, 280, 270), 127, false, draws);
        // Before the flip the box is (8, 48, 88, 78); width 127: (126 - 88, 48, 126 - 8, 78).
        Assert.Equal(new BoxXyxy(38, 48, 118, 78), crop.Box);
        var q = image.At<Vec3b>(192 + 7, 192 + 126 - 3);
        Assert.Equal(new Vec3f(q.Item0, q.Item1, q.Item2), crop.Image.At<Vec3f>(7, 3));
    }

    [Fact]
    public void GrayMakesTheThreeChannelsEqual()
    {
        using var image = Image511();
        var aug = new PysotAugmentation(new PysotAugmentationOptions(0, 0, 0, 0, 0));
        using var crop = aug.Apply(image, new BoxXyxy(230, 240, 280, 270), 127, gray: true, new ReplayAugmentationDraws([0.5, 0.5]));
        var p = crop.Image.At<Vec3f>(30, 40);
        Assert.Equal(p.Item0, p.Item1);
        Assert.Equal(p.Item0, p.Item2);
        var src = image.At<Vec3b>(192 + 30, 192 + 40);
        // OpenCV's BGR2GRAY: 0.299 R + 0.587 G + 0.114 B (rounded).
        Assert.Equal(Math.Round(0.299 * src.Item2 + 0.587 * src.Item1 + 0.114 * src.Item0), p.Item0, 0);
    }
}
