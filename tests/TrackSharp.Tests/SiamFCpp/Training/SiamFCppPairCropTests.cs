using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Data.Targets;
using TrackSharp.Geometry;
using TrackSharp.Trackers.SiamFCpp.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.SiamFCpp.Training;

/// <summary>
/// The training pair crop replayed on the golden frames: for each pair of meta.json train_step.batch_meta
/// (frames/00NN.jpg, boxes from groundtruth_rect.txt, the negative pair's search box as given), the recorded
/// <c>rng.uniform</c> draws (bounds and order must match) give train_step.npz batch/im_z and batch/im_x byte for
/// byte, batch/bbox_z and batch/bbox_x exactly, the warp matrices warp_z_M / warp_x_M and border_value exactly,
/// and DenseboxTarget of the crop's box equals batch/cls_gt, ctr_gt, box_gt exactly.
/// </summary>
public class SiamFCppPairCropTests(ITestOutputHelper output)
{
    private static string Frames => Path.Combine(SiamFCppForwardFixture.Folder, "frames");

    private static BoxXywh[] GroundTruth() => File.ReadAllLines(Path.Combine(Frames, "groundtruth_rect.txt"))
        .Where(l => l.Trim().Length > 0)
        .Select(l => l.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray())
        .Select(v => new BoxXywh(v[0], v[1], v[2], v[3])).ToArray();

    private static Mat Frame(int number) => Cv2.ImRead(Path.Combine(Frames, $"{number:D4}.jpg"), ImreadModes.Color);

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static RecordedDraw[] Draws(JsonElement pair) => pair.GetProperty("rng_draws").EnumerateArray()
        .Select(d => new RecordedDraw(d.GetProperty("low").GetDouble(), d.GetProperty("high").GetDouble(), d.GetProperty("value").GetDouble()))
        .ToArray();

    /// <summary>The input boxes of a batch_meta pair: the GT annotation (checked against anno_*_in) or, for the
    /// negative pair's search frame, the given background box.</summary>
    private static (BoxXyxy Z, BoxXyxy X) Boxes(JsonElement pair, BoxXywh[] gt)
    {
        var z = SiamFCppPairCrop.AnnotationBox(gt[pair.GetProperty("z_frame").GetInt32() - 1]);
        Assert.Equal(Doubles(pair.GetProperty("anno_z_in")), new[] { z.X1, z.Y1, z.X2, z.Y2 });
        var xIn = Doubles(pair.GetProperty("anno_x_in"));
        BoxXyxy x;
        if (pair.GetProperty("neg").GetBoolean()) x = new BoxXyxy(xIn[0], xIn[1], xIn[2], xIn[3]);
        else
        {
            x = SiamFCppPairCrop.AnnotationBox(gt[pair.GetProperty("x_frame").GetInt32() - 1]);
            Assert.Equal(xIn, new[] { x.X1, x.Y1, x.X2, x.Y2 });
        }
        return (z, x);
    }

    [Fact]
    public void ReplayedDrawsGiveTheGoldenBatch()
    {
        using var golden = Npz.Load(SiamFCppTrainStepGolden.StepPath);
        var meta = SiamFCppTrainStepGolden.Meta().GetProperty("batch_meta").EnumerateArray().ToArray();
        Assert.Equal(4, meta.Length);
        var gt = GroundTruth();
        var crop = new SiamFCppPairCrop();
        var target = DenseboxTarget.FromSizes();
        byte[] imZ = golden["batch/im_z"].Data, imX = golden["batch/im_x"].Data;
        float[] bboxZ = golden["batch/bbox_z"].ToFloatArray(), bboxX = golden["batch/bbox_x"].ToFloatArray();
        float[] clsGt = golden["batch/cls_gt"].ToFloatArray(), ctrGt = golden["batch/ctr_gt"].ToFloatArray(), boxGt = golden["batch/box_gt"].ToFloatArray();
        long[] negative = golden["batch/is_negative_pair"].ToLongArray();
        const int zLen = 3 * 127 * 127, xLen = 3 * 303 * 303;

        for (int b = 0; b < meta.Length; b++)
        {
            var pair = meta[b];
            var (zBox, xBox) = Boxes(pair, gt);
            bool neg = pair.GetProperty("neg").GetBoolean();
            Assert.Equal(neg ? 1L : 0L, negative[b]);
            using var zFrame = Frame(pair.GetProperty("z_frame").GetInt32());
            using var xFrame = Frame(pair.GetProperty("x_frame").GetInt32());
            var draws = new ReplayUniformDraws(Draws(pair));
            using var cropped = crop.Crop(zFrame, zBox, xFrame, xBox, draws);
            Assert.Equal(0, draws.Remaining);
            Assert.Equal(1, cropped.Geometry.Attempts);

            var mz = pair.GetProperty("warp_z_M").EnumerateArray().SelectMany(Doubles).ToArray();
            var mx = pair.GetProperty("warp_x_M").EnumerateArray().SelectMany(Doubles).ToArray();
            Assert.Equal(mz, cropped.Geometry.TemplateMatrix);
            Assert.Equal(mx, cropped.Geometry.SearchMatrix);
            Assert.Equal(Doubles(pair.GetProperty("border_value")), new[] { cropped.Border.Val0, cropped.Border.Val1, cropped.Border.Val2 });

            var g = cropped.Geometry;
            Assert.Equal(bboxZ.AsSpan(4 * b, 4).ToArray(), new[] { (float)g.TemplateBox.X1, (float)g.TemplateBox.Y1, (float)g.TemplateBox.X2, (float)g.TemplateBox.Y2 });
            Assert.Equal(bboxX.AsSpan(4 * b, 4).ToArray(), new[] { (float)g.SearchBox.X1, (float)g.SearchBox.Y1, (float)g.SearchBox.X2, (float)g.SearchBox.Y2 });

            int zDiff = CountDifferences(imZ.AsSpan(zLen * b, zLen), cropped.Template);
            int xDiff = CountDifferences(imX.AsSpan(xLen * b, xLen), cropped.Search);
            output.WriteLine($"pair {b} (frames {pair.GetProperty("z_frame")}/{pair.GetProperty("x_frame")}{(neg ? ", negative" : "")}): " +
                             $"im_z {zDiff} bytes differ, im_x {xDiff} bytes differ");
            Assert.Equal(0, zDiff);
            Assert.Equal(0, xDiff);

            var labels = target.ForPair(g.SearchBox, neg);
            Assert.Equal(clsGt.AsSpan(289 * b, 289).ToArray(), labels.Cls);
            Assert.Equal(ctrGt.AsSpan(289 * b, 289).ToArray(), labels.Ctr);
            Assert.Equal(boxGt.AsSpan(289 * 4 * b, 289 * 4).ToArray(), labels.Box);
        }
    }

    /// <summary>The whole sample path (crop → tensors → targets) on the same replayed draws: the sample's tensors
    /// equal the golden batch rows.</summary>
    [Fact]
    public void SampleBuiltFromReplayedDrawsEqualsTheGoldenBatchRow()
    {
        using var golden = Npz.Load(SiamFCppTrainStepGolden.StepPath);
        var meta = SiamFCppTrainStepGolden.Meta().GetProperty("batch_meta").EnumerateArray().ToArray();
        var gt = GroundTruth();
        var build = new SiamFCppSampleBuilder();
        using var scope = NewDisposeScope();
        var rows = new List<SiamFCppTrainingSample>();
        foreach (var pair in meta)
        {
            var (zBox, xBox) = Boxes(pair, gt);
            using var zFrame = Frame(pair.GetProperty("z_frame").GetInt32());
            using var xFrame = Frame(pair.GetProperty("x_frame").GetInt32());
            rows.Add(build.Build(zFrame, zBox, xFrame, xBox, pair.GetProperty("neg").GetBoolean(), new ReplayUniformDraws(Draws(pair))));
        }
        using var batch = TrackSharp.Data.Loading.TensorBatch.Collate(rows);
        foreach (var key in new[] { "im_z", "im_x", "bbox_z", "bbox_x", "cls_gt", "ctr_gt", "box_gt", "is_negative_pair" })
        {
            var expected = golden.Tensor($"batch/{key}");
            var ours = batch[key];
            Assert.Equal(expected.shape, ours.shape);
            Assert.True(ours.to(expected.dtype == ScalarType.Byte ? ScalarType.Float32 : ours.dtype)
                    .eq(expected.to(ours.dtype)).all().item<bool>(), $"train_step.npz batch/{key} differs");
        }
        Assert.Equal(ScalarType.Float32, batch["im_z"].dtype);
        Assert.Equal(ScalarType.Int64, batch["is_negative_pair"].dtype);
    }

    /// <summary>When no draw keeps both boxes inside their crops, 50 tries consume 6 draws each and the 51st crops
    /// without jitter and without drawing: the target is centred in both crops at the base scale, even if it does
    /// not fit. A 1000 x 10 box is 1000 · 127 / sqrt(1505 · 515) = 144.3 px wide in the 127 template crop, so no
    /// draw can keep it inside.</summary>
    [Fact]
    public void FiftyRejectedDrawsFallBackToTheUnjitteredCrop()
    {
        var draws = Enumerable.Range(0, 50).SelectMany(_ => new[]
        {
            new RecordedDraw(1 / 1.3, 1.3, 1 / 1.3), new RecordedDraw(0, 0, 0),
            new RecordedDraw(-0.4, 0.4, 0.25), new RecordedDraw(-0.4, 0.4, -0.25),
            new RecordedDraw(-0.0, 0.0, 0), new RecordedDraw(-0.0, 0.0, 0),
        }).ToArray();
        var replay = new ReplayUniformDraws(draws);
        var box = new BoxXyxy(0, 100, 999, 109);
        var g = new SiamFCppPairCrop().Plan(box, box, replay);
        Assert.Equal(51, g.Attempts);
        Assert.Equal(0, replay.Remaining);
        double width = 1000 * 127 / Math.Sqrt(1505.0 * 515.0); // 144.33
        Assert.Equal(63 - (width - 1) / 2, g.TemplateBox.X1, 3);
        Assert.Equal(63 + (width - 1) / 2, g.TemplateBox.X2, 3);
        Assert.Equal(151 - (width - 1) / 2, g.SearchBox.X1, 3);
        Assert.Equal(151 + (width - 1) / 2, g.SearchBox.X2, 3);
        // The search crop spans 303 / 127 times the context side, centred on the box centre (499.5, 104.5).
        double side = 303 * Math.Sqrt(1505.0 * 515.0) / 127;
        Assert.Equal(499.5 - (side - 1) / 2, g.SearchMatrix[2], 2);
        Assert.Equal(104.5 - (side - 1) / 2, g.SearchMatrix[5], 2);
    }

    /// <summary>The production draws stay in [low, high), give low for an empty range, and repeat for a seed.</summary>
    [Fact]
    public void SeededDrawsStayInTheirBoundsAndRepeat()
    {
        var a = new RandomUniformDraws(new Random(12));
        var b = new RandomUniformDraws(new Random(12));
        for (int i = 0; i < 1000; i++)
        {
            double v = a.Uniform(1 / 1.3, 1.3);
            Assert.InRange(v, 1 / 1.3, 1.3);
            Assert.True(v < 1.3);
            Assert.Equal(v, b.Uniform(1 / 1.3, 1.3));
        }
        Assert.Equal(0.0, a.Uniform(-0.0, 0.0));
        var s1 = new RandomUniformDraws(TrackSharp.Data.Sampling.SampleRandom.For(3, 1, 2, 4));
        var s2 = new RandomUniformDraws(TrackSharp.Data.Sampling.SampleRandom.For(3, 1, 2, 4));
        Assert.Equal(s1.Uniform(-0.4, 0.4), s2.Uniform(-0.4, 0.4));
    }

    [Fact]
    public void ReplayRejectsADrawOfOtherBounds()
    {
        var replay = new ReplayUniformDraws([new RecordedDraw(-0.4, 0.4, 0.1)]);
        var e = Assert.Throws<InvalidOperationException>(() => replay.Uniform(1 / 1.3, 1.3));
        Assert.Contains("draw 0", e.Message);
        Assert.Throws<InvalidOperationException>(() => new ReplayUniformDraws([]).Uniform(0, 1));
    }

    private static int CountDifferences(ReadOnlySpan<byte> chw, Mat hwc)
    {
        Assert.Equal(MatType.CV_8UC3, hwc.Type());
        Assert.True(hwc.IsContinuous());
        int h = hwc.Rows, w = hwc.Cols, plane = h * w, diff = 0;
        Assert.Equal(3 * plane, chw.Length);
        var pixels = new byte[3 * plane];
        System.Runtime.InteropServices.Marshal.Copy(hwc.Data, pixels, 0, pixels.Length);
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++)
                if (pixels[3 * i + c] != chw[c * plane + i]) diff++;
        return diff;
    }
}
