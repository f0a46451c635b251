using OpenCvSharp;
using TrackSharp.Data.Crop511;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Data.Crop511;

/// <summary>pysot's crop511 geometry checked against numbers worked out by hand from par_crop.py / _get_bbox.</summary>
public class Crop511GeometryTests
{
    /// <summary>A 256x256 image whose blue value is x and green value is y (red 7): a bilinear warp of it returns the
    /// source coordinate of each output pixel.</summary>
    private static Mat Ramp(int width = 256, int height = 256)
    {
        var image = new Mat(height, width, MatType.CV_8UC3);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image.Set(y, x, new Vec3b((byte)Math.Min(x, 255), (byte)Math.Min(y, 255), 7));
        return image;
    }

    [Fact]
    public void SearchSideIsTheContextSideTimes511Over127()
    {
        // w 40, h 20, context 0.5*(40+20) = 30: s_z = sqrt(70*50) = sqrt(3500) = 59.16079783099616;
        // pad = 192 / (127/s_z) on each side, so s_x = s_z * (127 + 384) / 127 = 238.04...
        double sz = Math.Sqrt(3500);
        Assert.Equal(59.16079783099616, Crop511Geometry.ContextSide(40, 20), 12);
        Assert.Equal(sz * 511 / 127, Crop511Geometry.SearchSide(40, 20), 9);
        var square = Crop511Geometry.SearchSquare(new BoxXyxy(108, 118, 148, 138));
        double half = sz * 511 / 127 / 2; // 119.0196...
        Assert.Equal(128 - half, square.X1, 9);
        Assert.Equal(128 - half, square.Y1, 9);
        Assert.Equal(128 + half, square.X2, 9);
        Assert.Equal(128 + half, square.Y2, 9);
    }

    [Fact]
    public void CropMapsTheSquareCornersOntoPixels0And510()
    {
        using var image = Ramp();
        var mean = new[] { 0.0, 0.0, 0.0 };
        using var crop = Crop511Geometry.CropSearch(image, new BoxXyxy(108, 118, 148, 138), mean);
        Assert.Equal(511, crop.Width);
        Assert.Equal(511, crop.Height);
        double half = Math.Sqrt(3500) * 511 / 127 / 2, x1 = 128 - half, step = 2 * half / 510;
        // Output pixel u samples x = x1 + u * s_x / 510; the blue ramp returns it, rounded (OpenCV interpolates in 1/32 px).
        foreach (int u in new[] { 0, 1, 100, 255, 400, 510 })
        {
            var p = crop.At<Vec3b>(u, u);
            double expected = x1 + u * step;
            Assert.InRange(p.Item0, Math.Round(expected) - 1, Math.Round(expected) + 1);
            Assert.InRange(p.Item1, Math.Round(expected) - 1, Math.Round(expected) + 1);
            Assert.Equal(7, p.Item2);
        }
        Assert.Equal(128, crop.At<Vec3b>(255, 255).Item0); // the box centre lands on the crop centre
    }

    [Fact]
    public void OutsideTheFrameIsTheFloatChannelMeanRounded()
    {
        using var image = Ramp(100, 100);   // blue = x, green = y: means 49.5 and 49.5, red 7
        using var crop = Crop511Geometry.CropSearch(image, new BoxXyxy(0, 0, 20, 20), new[] { 49.5, 49.5, 7.0 });
        var corner = crop.At<Vec3b>(0, 0); // far outside the frame (the square starts at about -50)
        Assert.Equal(50, corner.Item0);     // OpenCV saturate_cast rounds half to even: 49.5 -> 50
        Assert.Equal(50, corner.Item1);
        Assert.Equal(7, corner.Item2);
    }

    [Fact]
    public void TargetInCropIsTheBoxAtExemplarScaleAroundWHalfHHalf()
    {
        // w 40, h 20 -> scale 127 / sqrt(3500) = 2.146695...; w' = 5080 / 59.1608 = 85.8677, h' = 42.9339, centre (511 // 2) = 255.
        var box = Crop511Geometry.TargetInCrop(511, 511, 40, 20);
        double scale = 127 / Math.Sqrt(3500);
        Assert.Equal(255 - 20 * scale, box.X1, 9);
        Assert.Equal(255 + 20 * scale, box.X2, 9);
        Assert.Equal(255 - 10 * scale, box.Y1, 9);
        Assert.Equal(255 + 10 * scale, box.Y2, 9);
        Assert.Equal(85.8677, box.X2 - box.X1, 4);
    }
}
