using OpenCvSharp;
using TorchSharp;
using TrackSharp.Detection.Data;
using Scalar = OpenCvSharp.Scalar;
using Xunit;

namespace TrackSharp.Tests.Detection.Data;

/// <summary>BoxList operations, the flip/normalise transform and padding collation on hand-made inputs.</summary>
public class DetectionTargetAndBatchTests
{
    [Fact]
    public void ResizeFlipAndClipFollowBoxList()
    {
        var t = new DetectionTarget([10, 20, 30, 40, -5, 3, 120, 60, 5, 5, 5, 10], [1, 2, 3], null, 100, 50);
        Assert.Equal([5f, 40f, 15f, 80f], t.Resize(50, 100).Boxes[..4]);
        Assert.Equal((50, 100), (t.Resize(50, 100).Width, t.Resize(50, 100).Height));
        Assert.Equal([69f, 20f, 89f, 40f], t.FlipHorizontally().Boxes[..4]); // 100 - 30 - 1, 100 - 10 - 1
        var clipped = t.ClipToImage();
        Assert.Equal([10f, 20f, 30f, 40f, 0f, 3f, 99f, 49f], clipped.Boxes); // the zero-width box is removed
        Assert.Equal([1L, 2L], clipped.Labels);
        Assert.Equal(3, t.ClipToImage(removeEmpty: false).Count);
    }

    [Fact]
    public void FlipMovesPixelsAndBoxesTogetherAndNormalisesAsToBgr255()
    {
        using var img = new Mat(20, 40, MatType.CV_8UC3, Scalar.All(0));
        img[new Rect(0, 0, 10, 20)].SetTo(new Scalar(255, 255, 255)); // white left quarter
        var target = new DetectionTarget([0, 0, 9, 19], [1], null, 40, 20);
        var transform = new DetectionTransform(new DetectionTransformOptions { MinSizes = [20], MaxSize = 1000, FlipProbability = 1.0 });
        using var s = transform.Apply(img, target, new Random(0), 3);
        Assert.Equal(new long[] { 3, 20, 40 }, s.Image.shape);
        Assert.Equal([30f, 0f, 39f, 19f], s.Target.Boxes);
        Assert.Equal(3, s.Index);
        // white -> 255 - mean (B channel first), black -> -mean.
        Assert.Equal(255f - 102.9801f, s.Image[0, 5, 39].item<float>());
        Assert.Equal(-122.7717f, s.Image[2, 5, 0].item<float>());
    }

    [Fact]
    public void ResizeUsesTheMinMaxRuleAndScalesBoxes()
    {
        using var img = new Mat(50, 100, MatType.CV_8UC3, Scalar.All(7));
        var target = new DetectionTarget([10, 10, 20, 20], [1], null, 100, 50);
        var transform = new DetectionTransform(DetectionTransformOptions.Test(100, 150));
        using var s = transform.Apply(img, target, new Random(0));
        // min side 100 would make the long side 200 > 150: short = round(150 * 50 / 100) = 75, long = int(75 * 100 / 50) = 150.
        Assert.Equal(new long[] { 3, 75, 150 }, s.Image.shape);
        Assert.Equal([15f, 15f, 30f, 30f], s.Target.Boxes);
    }

    [Fact]
    public void CollationPadsToTheDivisibility()
    {
        using var a = torch.ones([3, 10, 20]);
        using var b = torch.full([3, 33, 5], 2f);
        var ta = new DetectionTarget([], [], null, 20, 10);
        var tb = new DetectionTarget([], [], null, 5, 33);
        using var batch = DetectionBatchCollator.Collate([new DetectionSample(a, ta, 0), new DetectionSample(b, tb, 1)], 32);
        Assert.Equal(new long[] { 2, 3, 64, 32 }, batch.Images.shape);
        Assert.Equal([(10, 20), (33, 5)], batch.ImageSizes);
        Assert.Equal(3 * 10 * 20 + 2 * 3 * 33 * 5, batch.Images.sum().item<float>());
        Assert.Equal(0f, batch.Images[0, 0, 10, 0].item<float>());
        Assert.Equal(2f, batch.Images[1, 2, 32, 4].item<float>());
        using var tight = DetectionBatchCollator.Collate([new DetectionSample(a, ta, 0), new DetectionSample(b, tb, 1)], 0);
        Assert.Equal(new long[] { 2, 3, 33, 20 }, tight.Images.shape);
    }
}
