using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Data.Processing;
using TrackSharp.Geometry;
using TrackSharp.Imaging;
using Xunit;

namespace TrackSharp.Tests.Data.Processing;

/// <summary>pytracking's sample_target_adaptive (inside_major, factor 6, 352 px, max scale change 1.5) against the
/// crops TransformerTrack's KLDiMPProcessing stored in golden/trdimp_small/train_step.npz: same frames, the stored
/// jittered boxes and joint-flipped boxes; the joint flip (and grayscale, if drawn) is read off the stored boxes/crops.
/// Crop boxes are exact; pixels are not yet identical (see the bound's comment).</summary>
public sealed class DimpTargetCropTests
{
    private static readonly string Golden = Path.Combine(TestPaths.Shared, "golden", "trdimp_small");

    private static BoxXywh Box(float[] v, int index) => new(v[index * 4], v[index * 4 + 1], v[index * 4 + 2], v[index * 4 + 3]);

    [Fact]
    public void CropBoxesMatchTheReferenceExactlyAndPixelsClosely()
    {
        using var npz = Npz.Load(Path.Combine(Golden, "train_step.npz"));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Golden, "train_step.json")));
        var raw = json.RootElement.GetProperty("raw_annos_before_processing");
        int checkedCrops = 0;
        double worstMean = 0, worstFraction = 0;
        foreach (string split in new[] { "train", "test" })
        {
            var jittered = npz[$"jittered_box_{split}"].ToFloatArray();
            var flipped = npz[$"joint_flipped_anno_{split}"].ToFloatArray();
            var anno = npz[$"{split}_anno"].ToFloatArray();
            var crops = npz[$"{split}_images_u8"].ToByteArray();
            for (int f = 0; f < 3; f++)
            for (int s = 0; s < 2; s++)
            {
                int i = f * 2 + s;
                var seq = raw[s];
                int frame = seq.GetProperty($"{split}_frames")[f].GetInt32();
                double rawX = seq.GetProperty(split)[f][0].GetDouble();
                using var bgr = ImageIO.Read(Path.Combine(Golden, "frames", $"{frame:D5}.jpg"));
                using var rgb = bgr.CvtColor(ColorConversionCodes.BGR2RGB);
                // RandomHorizontalFlip of the box: x' = W - x - w
                bool isFlipped = Math.Abs(flipped[i * 4] - rawX) > 1e-3;
                if (isFlipped) Assert.Equal(rgb.Width - rawX - flipped[i * 4 + 2], flipped[i * 4], 3);
                using var joint = isFlipped ? rgb.Flip(FlipMode.Y) : rgb.Clone();

                var expected = new byte[352 * 352 * 3];
                Array.Copy(crops, (long)i * expected.Length, expected, 0, expected.Length);
                bool gray = Enumerable.Range(0, 352 * 352).All(p => expected[p * 3] == expected[p * 3 + 1] && expected[p * 3] == expected[p * 3 + 2]);
                using var source = gray ? joint.CvtColor(ColorConversionCodes.RGB2GRAY).CvtColor(ColorConversionCodes.GRAY2RGB) : joint.Clone();

                var (crop, cropBox) = DimpTargetCrop.SampleTargetAdaptive(source, Box(jittered, i), 6.0, 352, DimpCropMode.InsideMajor, 1.5);
                using (crop)
                {
                    Assert.Equal((352, 352), (crop.Width, crop.Height));
                    crop.GetArray(out Vec3b[] pixels);
                    long sumAbs = 0;
                    int different = 0, maxDiff = 0;
                    for (int p = 0; p < pixels.Length; p++)
                    {
                        int d = Math.Max(Math.Abs(pixels[p].Item0 - expected[p * 3]),
                            Math.Max(Math.Abs(pixels[p].Item1 - expected[p * 3 + 1]), Math.Abs(pixels[p].Item2 - expected[p * 3 + 2])));
                        sumAbs += Math.Abs(pixels[p].Item0 - expected[p * 3]) + Math.Abs(pixels[p].Item1 - expected[p * 3 + 1]) + Math.Abs(pixels[p].Item2 - expected[p * 3 + 2]);
                        if (d > 0) different++;
                        maxDiff = Math.Max(maxDiff, d);
                    }
                    worstMean = Math.Max(worstMean, sumAbs / (3.0 * pixels.Length));
                    worstFraction = Math.Max(worstFraction, different / (double)pixels.Length);
                }
                var inCrop = DimpTargetCrop.BoxToCrop(Box(flipped, i), cropBox, 352);
                var expectedBox = Box(anno, i);
                Assert.Equal(expectedBox.X, inCrop.X, 3);
                Assert.Equal(expectedBox.Y, inCrop.Y, 3);
                Assert.Equal(expectedBox.Width, inCrop.Width, 3);
                Assert.Equal(expectedBox.Height, inCrop.Height, 3);
                checkedCrops++;
            }
        }
        Assert.Equal(12, checkedCrops);
        // KNOWN DEVIATION (unresolved): the crop geometry is exact (crop boxes reproduce train/test_anno), the decoded
        // frames decode identically (rgb_sum), yet the resized pixels differ: ~21 % of the pixels (mean |d| 0.8-1.0
        // levels) for the 854-px crops, up to 58 % (mean 6.8) for the 2416-px crop; the gap grows with the downscale
        // ratio, which points at the bilinear sampling positions, not the crop. These bounds pin the measured state
        // (worst mean 6.77, worst fraction 0.577) so that a regression shows; reaching pixel identity is open work.
        Assert.True(worstMean < 7.5, $"mean abs difference {worstMean}");
        Assert.True(worstFraction < 0.6, $"fraction of differing pixels {worstFraction}");
    }

    [Fact]
    public void InsideMajorShrinksToTheShorterSideWithinTheMaxScaleChangeAndShiftsInside()
    {
        using var image = new Mat(100, 200, MatType.CV_8UC3, Scalar.All(7));
        // side = ceil(sqrt(40·40)·6) = 240; inside_major: min(240/200, 240/100) = 1.2 → floor(240/1.2) = 200 (fits x, not y)
        var (crop, box) = DimpTargetCrop.SampleTargetAdaptive(image, new BoxXywh(10, 10, 40, 40), 6.0, 64, DimpCropMode.InsideMajor, 1.5);
        crop.Dispose();
        // x1 = round(30 - 100) = -70 → shifted to 0; y: 200 high in a 100 image, shift then centre: y1 = -50
        Assert.Equal(new BoxXywh(0, -50, 200, 200), box);
        // max scale change 1.1 caps the shrink: floor(240/1.1) = 218
        (crop, box) = DimpTargetCrop.SampleTargetAdaptive(image, new BoxXywh(10, 10, 40, 40), 6.0, 64, DimpCropMode.InsideMajor, 1.1);
        crop.Dispose();
        Assert.Equal(218, box.Width);
        // replicate: no shrink, but the reference still shifts: x1 = -90 → 0 (x2 = 240 sticks out 40 → centred: -20);
        // y1 = -90 + 90 + min(0, 100 - 150) = -50, y2 = 190, out = (50 + 90) // 2 = 70 → y1 = -50 + (50 - 70) = -70
        (crop, box) = DimpTargetCrop.SampleTargetAdaptive(image, new BoxXywh(10, 10, 40, 40), 6.0, 64);
        crop.Dispose();
        Assert.Equal(new BoxXywh(-20, -70, 240, 240), box);
    }
}
