using OpenCvSharp;
using TorchSharp;
using TrackSharp.Imaging;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Imaging;

public class TensorImageTests
{
    /// <summary>2x2 BGR image with hand-chosen pixels: (row, col) -> (B, G, R).</summary>
    private static Mat TwoByTwo()
    {
        var m = new Mat(2, 2, MatType.CV_8UC3);
        m.Set(0, 0, new Vec3b(10, 20, 30));
        m.Set(0, 1, new Vec3b(40, 50, 60));
        m.Set(1, 0, new Vec3b(70, 80, 90));
        m.Set(1, 1, new Vec3b(100, 110, 120));
        return m;
    }

    private static Mat RandomImage(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var bytes = new byte[rows * cols * 3];
        rng.NextBytes(bytes);
        var m = new Mat(rows, cols, MatType.CV_8UC3);
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, m.Data, bytes.Length);
        return m;
    }

    private static float[] Values(Tensor t) => t.data<float>().ToArray();

    [Fact]
    public void Bgr_KeepsOpenCvChannelOrder_Nchw()
    {
        using var img = TwoByTwo();
        using var t = TensorImage.ToTensor(img);
        Assert.Equal(new long[] { 1, 3, 2, 2 }, t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        // Planes B, G, R, each row-major over (0,0) (0,1) (1,0) (1,1).
        Assert.Equal(new float[] { 10, 40, 70, 100, 20, 50, 80, 110, 30, 60, 90, 120 }, Values(t));
    }

    [Fact]
    public void Rgb_SwapsFirstAndLastChannel()
    {
        using var img = TwoByTwo();
        using var t = TensorImage.ToTensor(img, new TensorImageOptions { ChannelOrder = ChannelOrder.Rgb });
        Assert.Equal(new float[] { 30, 60, 90, 120, 20, 50, 80, 110, 10, 40, 70, 100 }, Values(t));
    }

    [Fact]
    public void ImageNetNormalisation_MatchesHandCalculation()
    {
        using var img = TwoByTwo();
        using var t = TensorImage.ToTensor(img, TensorImageOptions.ImageNet);
        float[] v = Values(t);
        // (x/255 - mean)/std by hand. Pixel (0,0): R=30, G=20, B=10; pixel (1,1): R=120, G=110, B=100.
        Assert.Equal(-1.6041613, v[0], 1e-5);   // R plane, (0,0)
        Assert.Equal(-1.6855742, v[4], 1e-5);   // G plane, (0,0)
        Assert.Equal(-1.6301525, v[8], 1e-5);   // B plane, (0,0)
        Assert.Equal(-0.0629335, v[3], 1e-5);   // R plane, (1,1)
        Assert.Equal(-0.1099440, v[7], 1e-5);   // G plane, (1,1)
        Assert.Equal(-0.0615251, v[11], 1e-5);  // B plane, (1,1)
    }

    [Fact]
    public void ScaleOnly_DividesBy255()
    {
        using var img = TwoByTwo();
        using var t = TensorImage.ToTensor(img, new TensorImageOptions { ScaleTo01 = true });
        float[] v = Values(t);
        Assert.Equal(10f / 255f, v[0]);
        Assert.Equal(120f / 255f, v[11]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void RoundTrip_RandomImages_IsExact(int optionIndex)
    {
        TensorImageOptions[] all =
        [
            TensorImageOptions.Raw,
            TensorImageOptions.ImageNet,
            new() { ChannelOrder = ChannelOrder.Rgb, ScaleTo01 = true },
        ];
        var options = all[optionIndex];
        for (int seed = 0; seed < 5; seed++)
        {
            using var img = RandomImage(37 + seed, 53 - seed, seed);
            using var t = TensorImage.ToTensor(img, options);
            using var back = TensorImage.ToMat(t, options);
            AssertSameImage(img, back);
        }
    }

    [Fact]
    public void Submatrix_ConvertsOnlyItsOwnPixels()
    {
        using var big = RandomImage(40, 50, 7);
        using var roi = new Mat(big, new Rect(5, 3, 20, 11));
        Assert.False(roi.IsContinuous());
        using var copy = roi.Clone();
        using var a = TensorImage.ToTensor(roi);
        using var b = TensorImage.ToTensor(copy);
        Assert.Equal(new long[] { 1, 3, 11, 20 }, a.shape);
        Assert.Equal(Values(b), Values(a));
        // Pixel (row 0, col 0) of the ROI is big's (3, 5).
        Assert.Equal(big.At<Vec3b>(3, 5).Item0, Values(a)[0]);
    }

    [Fact]
    public void ToMat_AcceptsChwAndUint8()
    {
        using var img = RandomImage(9, 13, 3);
        using var nchw = TensorImage.ToTensor(img);
        using var chw = nchw.squeeze(0);
        using var u8 = chw.to_type(ScalarType.Byte);
        using var fromChw = TensorImage.ToMat(chw);
        using var fromU8 = TensorImage.ToMat(u8);
        AssertSameImage(img, fromChw);
        AssertSameImage(img, fromU8);
    }

    [Fact]
    public void ToMat_ClampsAndRoundsHalfToEven()
    {
        // One channel of six pixels carries the test values; the other two are zero.
        var values = new float[3 * 6];
        float[] first = [-5f, 0.5f, 1.5f, 2.5f, 254.6f, 300f];
        first.CopyTo(values, 0);
        using var t = torch.tensor(values, new long[] { 3, 1, 6 });
        using var m = TensorImage.ToMat(t);
        byte[] expected = [0, 0, 2, 2, 255, 255];
        for (int x = 0; x < 6; x++)
            Assert.Equal(expected[x], m.At<Vec3b>(0, x).Item0);
    }

    [Fact]
    public void ToMat_FromRgbTensor_WritesBgr()
    {
        // An RGB tensor whose R plane is 200 and B plane is 7 must give B=7, R=200 in the Mat.
        var values = new float[3 * 1 * 1] { 200, 100, 7 };
        using var t = torch.tensor(values, new long[] { 1, 3, 1, 1 });
        using var m = TensorImage.ToMat(t, new TensorImageOptions { ChannelOrder = ChannelOrder.Rgb });
        Assert.Equal(new Vec3b(7, 100, 200), m.At<Vec3b>(0, 0));
    }

    [Fact]
    public void Hwc_RoundTripKeepsBytes()
    {
        using var img = TwoByTwo();
        using var t = TensorImage.ToHwcTensor(img);
        Assert.Equal(new long[] { 2, 2, 3 }, t.shape);
        Assert.Equal(ScalarType.Byte, t.dtype);
        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120 }, t.data<byte>().ToArray());
        using var back = TensorImage.FromHwcTensor(t);
        AssertSameImage(img, back);

        using var random = RandomImage(21, 17, 11);
        using var roi = new Mat(random, new Rect(2, 2, 10, 10));
        using var rt = TensorImage.ToHwcTensor(roi);
        using var rback = TensorImage.FromHwcTensor(rt);
        AssertSameImage(roi, rback);
    }

    [Fact]
    public void RejectsWrongInput()
    {
        using var gray = new Mat(4, 4, MatType.CV_8UC1);
        Assert.Throws<ArgumentException>(() => TensorImage.ToTensor(gray));
        using var empty = new Mat();
        Assert.Throws<ArgumentException>(() => TensorImage.ToTensor(empty));
        using var wrong = torch.zeros(2, 4, 4);
        Assert.Throws<ArgumentException>(() => TensorImage.ToMat(wrong));
    }

    internal static void AssertSameImage(Mat expected, Mat actual)
    {
        Assert.Equal(expected.Size(), actual.Size());
        Assert.Equal(expected.Type(), actual.Type());
        using var diff = new Mat();
        Cv2.Absdiff(expected, actual, diff);
        using var flat = diff.Reshape(1);
        Assert.Equal(0, Cv2.CountNonZero(flat));
    }
}
