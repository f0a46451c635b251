using OpenCvSharp;
using TrackSharp.Imaging;
using Xunit;

namespace TrackSharp.Tests.Imaging;

/// <summary>OpenCV's fixed-point INTER_LINEAR on hand-computed cases (coefficients are (1 − f)·2048 and f·2048; the
/// scalar rounding is (Σ b·h + 2^21) &gt;&gt; 22). Bit-exactness on real images is checked against the reference crops
/// in DimpTargetCropTests.</summary>
public sealed class OpenCvLinearResizeTests
{
    private static Mat Row(params byte[] values)
    {
        var mat = new Mat(1, values.Length, MatType.CV_8UC1);
        mat.SetArray(values);
        return mat;
    }

    private static byte[] Bytes(Mat mat)
    {
        Assert.True(mat.IsContinuous());
        var result = new byte[mat.Total() * mat.Channels()];
        System.Runtime.InteropServices.Marshal.Copy(mat.Data, result, 0, result.Length);
        return result;
    }

    [Fact]
    public void HalvingAveragesPairsAndRoundsTheHalfDown()
    {
        using var image = Row(0, 100, 200, 255);
        using var resized = OpenCvLinearResize.Resize(image, 2, 1);
        // scale 2: x = 0.5 → (0 + 100)/2 = 50; x = 2.5 → (200 + 255)/2 = 227.5 → h = 455·1024, (2048·h + 2^21) >> 22 = 228
        Assert.Equal(new byte[] { 50, 228 }, Bytes(resized));
    }

    [Fact]
    public void UpscalingClampsAtTheLeftAndUsesOneTapAtTheRight()
    {
        using var image = Row(0, 100);
        using var resized = OpenCvLinearResize.Resize(image, 4, 1);
        // scale 0.5: f = −0.25 → clamped to pixel 0; 0.25 → 25 (25.5 after the +2^21 half, truncated); 0.75 → 75; 1.25 → last pixel
        Assert.Equal(new byte[] { 0, 25, 75, 100 }, Bytes(resized));
    }

    [Fact]
    public void IndexMapsActAsAReplicateBorder()
    {
        using var image = Row(10, 20);
        // virtual row [10, 10, 20, 20, 20, 20] (one column replicated left, three right), halved: (10+10)/2, (20+20)/2, (20+20)/2
        using var resized = OpenCvLinearResize.Resize(image, [0], [0, 0, 1, 1, 1, 1], 3, 1);
        Assert.Equal(new byte[] { 10, 20, 20 }, Bytes(resized));
    }

    [Fact]
    public void ReadsARegionOfInterestThroughItsRowStep()
    {
        using var image = new Mat(3, 4, MatType.CV_8UC1);
        image.SetArray(new byte[] { 0, 100, 200, 255, 10, 20, 30, 40, 0, 50, 60, 70 });
        using var roi = new Mat(image, new Rect(1, 1, 3, 2)); // rows [20, 30, 40] and [50, 60, 70]: not continuous
        Assert.False(roi.IsContinuous());
        using var resized = OpenCvLinearResize.Resize(roi, 2, 2);
        // x scale 1.5: f = 0.25 → 0.75·20 + 0.25·30 = 22.5 → 23 (the +2^21 half on an exact .5), f = 1.75 → 37.5 → 38;
        // likewise 52.5 → 53 and 67.5 → 68; y scale 1: each output row is its source row
        Assert.Equal(new byte[] { 23, 38, 53, 68 }, Bytes(resized));
    }

    [Fact]
    public void KeepsTheChannelsInterleaved()
    {
        using var image = new Mat(1, 2, MatType.CV_8UC3);
        image.SetArray(new Vec3b[] { new(0, 100, 250), new(100, 0, 50) });
        using var resized = OpenCvLinearResize.Resize(image, 1, 1);
        // one output pixel at x = 0.5: per-channel means 50, 50, 150
        Assert.Equal(new byte[] { 50, 50, 150 }, Bytes(resized));
    }

    [Fact]
    public void RejectsMapIndicesOutsideTheImage()
    {
        using var image = Row(1, 2, 3);
        var error = Assert.Throws<ArgumentException>(() => OpenCvLinearResize.Resize(image, [0], [0, 3], 2, 1));
        Assert.Contains("column map index 3", error.Message);
        Assert.Contains("3x1", error.Message);
    }
}
