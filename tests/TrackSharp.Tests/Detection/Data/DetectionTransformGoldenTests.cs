using System.Text.Json;
using OpenCvSharp;
using TorchSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Detection.Data;
using Xunit;

namespace TrackSharp.Tests.Detection.Data;

/// <summary>
/// The preprocessing of golden/fcos_small (maskrcnn-benchmark build_transforms + to_image_list): the normalised,
/// padded network input from the resized RGB image (train_step.npz input/resized_rgb_uint8 -> input/tensor, bit-exact)
/// and the resized ground-truth boxes (meta.json gt_boxes_original -> input/gt_boxes and targets.npz
/// gt_boxes_resized, bit-exact), and the whole test transform from the JPEG file on (OpenCV decoding + Pillow's
/// antialiased bilinear resize reproduce input/resized_rgb_uint8 exactly).
/// </summary>
public class DetectionTransformGoldenTests
{
    private static string Golden(string file) => Path.Combine(TestPaths.Shared, "golden", "fcos_small", file);

    private static DetectionTarget OriginalTarget()
    {
        using var meta = JsonDocument.Parse(File.ReadAllText(Golden("meta.json")));
        var boxes = meta.RootElement.GetProperty("gt_boxes_original").EnumerateArray()
            .SelectMany(b => b.EnumerateArray().Select(x => (float)x.GetDouble())).ToArray();
        var labels = meta.RootElement.GetProperty("gt_labels").EnumerateArray().Select(x => x.GetInt64()).ToArray();
        return new DetectionTarget(boxes, labels, null, 640, 480); // COCO_val2014_000000039769.jpg is 640x480
    }

    [Fact]
    public void ToTensorNormalizeAndPaddingReproduceTheNetworkInput()
    {
        using var npz = Npz.Load(Golden("train_step.npz"));
        var rgb = npz["input/resized_rgb_uint8"];
        Assert.Equal(new long[] { 256, 341, 3 }, rgb.Shape);
        using var rgbMat = Mat.FromPixelData(256, 341, MatType.CV_8UC3, rgb.ToByteArray());
        using var bgr = new Mat();
        Cv2.CvtColor(rgbMat, bgr, ColorConversionCodes.RGB2BGR);

        // FCOS test transform: MIN_SIZE_TEST 256 / MAX_SIZE_TEST 416 gives 256x341 (no further resize), no flip.
        var transform = new DetectionTransform(DetectionTransformOptions.Test(256, 416));
        var target = OriginalTarget().Resize(341, 256);
        using var sample = transform.Apply(bgr, target, new Random(1), 0);
        using var batch = DetectionBatchCollator.Collate([sample], 32);

        var expected = npz["input/tensor"];
        Assert.Equal(expected.Shape, batch.Images.shape);
        Assert.Equal((256, 341), batch.ImageSizes[0]);
        var e = expected.ToFloatArray();
        var a = batch.Images.data<float>().ToArray();
        for (int i = 0; i < e.Length; i++)
            if (BitConverter.SingleToInt32Bits(e[i]) != BitConverter.SingleToInt32Bits(a[i]))
                Assert.Fail($"train_step.npz input/tensor flat[{i}]: {a[i]:R} vs golden {e[i]:R}");
    }

    [Fact]
    public void TestTransformFromTheJpegFileReproducesTheNetworkInput()
    {
        using var npz = Npz.Load(Golden("train_step.npz"));
        using var bgr = DetectionImageReader.Read(Golden("COCO_val2014_000000039769.jpg"));
        var transform = new DetectionTransform(DetectionTransformOptions.Test(256, 416));
        using var sample = transform.Apply(bgr, OriginalTarget(), new Random(1), 0);
        using var batch = DetectionBatchCollator.Collate([sample], 32);
        var expected = npz["input/tensor"];
        Assert.Equal(expected.Shape, batch.Images.shape);
        Assert.Equal(expected.ToFloatArray(), batch.Images.data<float>().ToArray());
        Assert.Equal(npz["input/gt_boxes"].ToFloatArray(), batch.Targets[0].Boxes);
        Assert.Equal(npz["input/gt_labels"].ToLongArray(), batch.Targets[0].Labels);
    }

    [Fact]
    public void PilBilinearResizeOfTheDecodedJpegEqualsTheGoldenResizedImage()
    {
        using var npz = Npz.Load(Golden("train_step.npz"));
        var expected = npz["input/resized_rgb_uint8"].ToByteArray();
        using var bgr = DetectionImageReader.Read(Golden("COCO_val2014_000000039769.jpg"));
        Assert.Equal((640, 480), (bgr.Width, bgr.Height));
        using var resized = PilBilinearResize.Resize(bgr, 341, 256);
        using var rgb = new Mat();
        Cv2.CvtColor(resized, rgb, ColorConversionCodes.BGR2RGB);
        rgb.GetArray(out Vec3b[] pixels);
        var actual = pixels.SelectMany(p => new[] { p.Item0, p.Item1, p.Item2 }).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        int differing = Enumerable.Range(0, expected.Length).Count(i => expected[i] != actual[i]);
        int maxDiff = Enumerable.Range(0, expected.Length).Max(i => Math.Abs(expected[i] - actual[i]));
        Assert.True(differing == 0, $"{differing} of {expected.Length} values differ from train_step.npz input/resized_rgb_uint8 (max {maxDiff})");
    }

    [Theory]
    [InlineData("train_step.npz", "input/gt_boxes", 256, 416)]
    [InlineData("targets.npz", "gt_boxes_resized", 800, 1333)]
    public void BoxResizeEqualsBoxListResize(string file, string key, int minSize, int maxSize)
    {
        using var npz = Npz.Load(Golden(file));
        var (h, w) = TrackSharp.Detection.MinMaxResize.GetSize(640, 480, minSize, maxSize);
        var resized = OriginalTarget().Resize(w, h);
        var expected = npz[key].ToFloatArray();
        Assert.Equal(expected.Length, resized.Boxes.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(resized.Boxes[i]),
                $"{file} {key} flat[{i}]: {resized.Boxes[i]:R} vs golden {expected[i]:R}");
    }
}
