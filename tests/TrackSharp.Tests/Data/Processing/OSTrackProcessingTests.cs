using OpenCvSharp;
using TorchSharp;
using TrackSharp.Data.Processing;
using TrackSharp.Geometry;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Data.Processing;

public class OSTrackProcessingTests
{

    private static bool Same(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.contiguous().bytes.SequenceEqual(b.contiguous().bytes);
    private static Mat NoiseImage(int width, int height, int seed)
    {
        var image = new Mat(height, width, MatType.CV_8UC3);
        var bytes = new byte[width * height * 3];
        new Random(seed).NextBytes(bytes);
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, image.Data, bytes.Length);
        return image;
    }

    private static float[] Values(Tensor t) => t.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();

    [Fact]
    public void ZeroJitterPutsTheBoxAtTheCropCentreWithTheSizeGivenByTheFactor()
    {
        using var image = NoiseImage(320, 240, 1);
        var box = new BoxXywh(100, 80, 30, 20);
        var processing = new OSTrackProcessing(OSTrackProcessingOptions.Deterministic);
        using var sample = processing.Process(image, box, image, box, new Random(0));
        Assert.NotNull(sample);

        // Template: side ceil(sqrt(30*20)*2) = ceil(48.99) = 49 px, resized to 128: w = 30*(128/49)/128 = 30/49.
        // Centre (reference's -1): ((128-1)/2)/128 = 0.49609375.
        // Search: side ceil(sqrt(600)*4) = ceil(97.98) = 98: w = 30/98, h = 20/98, centre (255/2)/256.
        (Tensor Box, double Side, int Size)[] cases = [(sample.TemplateBox, 49, 128), (sample.SearchBox, 98, 256)];
        foreach (var (t, side, size) in cases)
        {
            var b = Values(t);
            double w = 30 / side, h = 20 / side, c = (size - 1) / 2.0 / size;
            Assert.Equal(w, b[2], 1e-6);
            Assert.Equal(h, b[3], 1e-6);
            Assert.Equal(c, b[0] + b[2] / 2, 1e-6);
            Assert.Equal(c, b[1] + b[3] / 2, 1e-6);
        }

        Assert.Equal([3L, 128, 128], sample.Template.shape);
        Assert.Equal([128L, 128], sample.TemplateAttention.shape);
        Assert.Equal([3L, 256, 256], sample.Search.shape);
        Assert.Equal([256L, 256], sample.SearchAttention.shape);
        Assert.Equal(ScalarType.Bool, sample.SearchAttention.dtype);
        Assert.Equal([16L, 16], sample.Heatmap.shape);
        // Box centre 0.498*16 = 7.97 -> cell 8 carries the Gaussian's peak 1.0.
        Assert.Equal(1f, sample.Heatmap[8, 8].item<float>());
        Assert.Equal(1f, sample.Heatmap.max().item<float>());
        // The box lies well inside the frame: no padding in either crop.
        Assert.False(sample.TemplateAttention.any().item<bool>());
        Assert.False(sample.SearchAttention.any().item<bool>());
    }

    [Fact]
    public void CropFlipMirrorsTheImageTheMaskAndTheBoxX()
    {
        using var image = NoiseImage(320, 240, 2);
        // Near the left border so the search crop is padded on one side (the mask is not symmetric).
        var box = new BoxXywh(20, 90, 40, 30);
        var plain = new OSTrackProcessing(OSTrackProcessingOptions.Deterministic);
        var flipped = new OSTrackProcessing(OSTrackProcessingOptions.Deterministic with
        {
            Search = OSTrackProcessingOptions.Deterministic.Search with { FlipProbability = 1 },
        });
        using var a = plain.Process(image, box, image, box, new Random(5));
        using var b = flipped.Process(image, box, image, box, new Random(5));
        Assert.NotNull(a);
        Assert.NotNull(b);

        Assert.True(Same(a.Search.flip(2), b.Search));
        Assert.True(Same(a.SearchAttention.flip(1), b.SearchAttention));
        Assert.True(a.SearchAttention.any().item<bool>());
        Assert.True(Same(a.Template, b.Template));

        var p = Values(a.SearchBox);
        var f = Values(b.SearchBox);
        Assert.Equal(1 - p[0] - p[2], f[0], 1e-6);
        Assert.Equal(p[1], f[1]);
        Assert.Equal(p[2], f[2], 1e-6);
        Assert.Equal(p[3], f[3]);
    }

    [Fact]
    public void JointFlipMirrorsTheFrameBoxWithTheReferenceOffByOne()
    {
        using var image = NoiseImage(320, 240, 3);
        var box = new BoxXywh(100, 80, 30, 20);
        var flipped = new OSTrackProcessing(OSTrackProcessingOptions.Deterministic with { JointFlipProbability = 1 });
        using var b = flipped.Process(image, box, image, box, new Random(0));
        Assert.NotNull(b);
        // The mirrored box is x' = (320 - 1) - (100 + 30) = 189: crop the flipped frame there by hand.
        using var mirror = new Mat();
        Cv2.Flip(image, mirror, FlipMode.Y);
        var mirrored = new BoxXywh(189, 80, 30, 20);
        using var expected = new OSTrackProcessing(OSTrackProcessingOptions.Deterministic)
            .Process(mirror, mirrored, mirror, mirrored, new Random(0));
        Assert.NotNull(expected);
        Assert.True(Same(expected.Search, b.Search));
        Assert.True(Same(expected.SearchBox, b.SearchBox));
    }

    [Fact]
    public void ConstantImageNormalisesToTheHandComputedValue()
    {
        using var image = new Mat(300, 300, MatType.CV_8UC3, new OpenCvSharp.Scalar(10, 100, 200)); // B, G, R
        var box = new BoxXywh(130, 130, 40, 40); // template crop 80 px, fully inside
        var processing = new OSTrackProcessing(OSTrackProcessingOptions.Deterministic);
        using var sample = processing.Process(image, box, image, box, new Random(0));
        Assert.NotNull(sample);
        double[] rgb = [200, 100, 10], mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
        for (int c = 0; c < 3; c++)
        {
            double expected = (rgb[c] / 255 - mean[c]) / std[c];
            var channel = sample.Template[c];
            Assert.Equal(expected, channel.min().item<float>(), 1e-5);
            Assert.Equal(expected, channel.max().item<float>(), 1e-5);
        }
        Assert.False(sample.TemplateAttention.any().item<bool>());
    }

    [Fact]
    public void DegenerateDrawsAreRejected()
    {
        using var image = NoiseImage(200, 150, 4);
        var processing = new OSTrackProcessing(OSTrackProcessingOptions.Deterministic);
        var good = new BoxXywh(50, 50, 20, 20);
        Assert.Null(processing.Process(image, good, image, new BoxXywh(50, 50, 0, 20), new Random(0)));
        Assert.Null(processing.Process(image, good, image, new BoxXywh(-900, -900, 10, 10), new Random(0)));
        Assert.Null(processing.Process(image, good, image, new BoxXywh(double.NaN, 5, 10, 10), new Random(0)));
    }

    [Fact]
    public void DefaultAugmentationsKeepShapesAndRanges()
    {
        using var image = NoiseImage(320, 240, 5);
        var box = new BoxXywh(120, 90, 50, 40);
        var processing = new OSTrackProcessing();
        var o = processing.Options;
        int accepted = 0;
        for (int seed = 0; seed < 20; seed++)
        {
            using var s = processing.Process(image, box, image, box, new Random(seed));
            if (s is null) continue;
            accepted++;
            foreach (var img in new[] { s.Template, s.Search })
                for (int c = 0; c < 3; c++)
                {
                    float lo = (0 - o.Mean[c]) / o.Std[c], hi = (1 - o.Mean[c]) / o.Std[c];
                    Assert.True(img[c].min().item<float>() >= lo - 1e-6 && img[c].max().item<float>() <= hi + 1e-6);
                }
            foreach (var b in new[] { Values(s.TemplateBox), Values(s.SearchBox) })
                Assert.True(b.All(float.IsFinite) && b[2] > 0 && b[3] > 0);
            float hmin = s.Heatmap.min().item<float>(), hmax = s.Heatmap.max().item<float>();
            Assert.True(hmin >= 0 && hmax <= 1);
        }
        Assert.True(accepted >= 15, $"only {accepted} of 20 draws accepted");
    }
}
