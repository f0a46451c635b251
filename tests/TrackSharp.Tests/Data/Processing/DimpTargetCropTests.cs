using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Data.Processing;
using TrackSharp.Geometry;
using TrackSharp.Imaging;
using Xunit;

namespace TrackSharp.Tests.Data.Processing;

/// <summary>pytracking's sample_target_adaptive (inside_major, factor 6, 352 px, max scale change 1.5) against the
/// crops TransformerTrack's KLDiMPProcessing stored in golden/trdimp_small/train_step.npz (train/test_images_u8),
/// from the same frames and the stored jittered boxes: crop boxes (through train/test_anno) and every pixel exact.</summary>
public sealed class DimpTargetCropTests
{
    private static readonly string Golden = Path.Combine(TestPaths.Shared, "golden", "trdimp_small");

    private static BoxXywh Box(float[] v, int index) => new(v[index * 4], v[index * 4 + 1], v[index * 4 + 2], v[index * 4 + 3]);

    [Fact]
    public void CropsAndCropBoxesMatchTheReferenceExactly()
    {
        using var npz = Npz.Load(Path.Combine(Golden, "train_step.npz"));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Golden, "train_step.json")));
        var raw = json.RootElement.GetProperty("raw_annos_before_processing");
        int checkedCrops = 0;
        var cropSides = new HashSet<double>();
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
                // The seeded run drew neither the joint flip nor grayscale for any of the 12 frames: the joint-transformed
                // boxes are the source boxes, and the crops are colour. Both checks guard the premise of this test.
                for (int k = 0; k < 4; k++) Assert.Equal(seq.GetProperty(split)[f][k].GetDouble(), flipped[i * 4 + k], 3);
                var expected = new byte[352 * 352 * 3];
                Array.Copy(crops, (long)i * expected.Length, expected, 0, expected.Length);
                Assert.Contains(Enumerable.Range(0, 352 * 352), p => expected[p * 3] != expected[p * 3 + 1] || expected[p * 3] != expected[p * 3 + 2]);

                using var bgr = ImageIO.Read(Path.Combine(Golden, "frames", $"{frame:D5}.jpg"));
                using var rgb = bgr.CvtColor(ColorConversionCodes.BGR2RGB);
                var (crop, cropBox) = DimpTargetCrop.SampleTargetAdaptive(rgb, Box(jittered, i), 6.0, 352, DimpCropMode.InsideMajor, 1.5);
                using (crop)
                {
                    Assert.Equal((352, 352, 3), (crop.Width, crop.Height, crop.Channels()));
                    var actual = new byte[expected.Length];
                    System.Runtime.InteropServices.Marshal.Copy(crop.Data, actual, 0, actual.Length);
                    int firstDifference = Enumerable.Range(0, actual.Length).FirstOrDefault(p => actual[p] != expected[p], -1);
                    Assert.True(firstDifference < 0, $"{split}[{f},{s}] (frame {frame}, crop {cropBox}): first differing byte at " +
                        $"row {firstDifference / (352 * 3)}, col {firstDifference / 3 % 352}, channel {firstDifference % 3}");
                }
                var inCrop = DimpTargetCrop.BoxToCrop(Box(flipped, i), cropBox, 352);
                var expectedBox = Box(anno, i);
                Assert.Equal(expectedBox.X, inCrop.X, 3);
                Assert.Equal(expectedBox.Y, inCrop.Y, 3);
                Assert.Equal(expectedBox.Width, inCrop.Width, 3);
                Assert.Equal(expectedBox.Height, inCrop.Height, 3);
                cropSides.Add(cropBox.Width);
                checkedCrops++;
            }
        }
        Assert.Equal(12, checkedCrops);
        // the 12 crops cover downscales 854 -> 352 (border-cut, x2_pad quirk), 1094, 1216, 1262 and the 1.5-capped 2416
        Assert.Equal(new double[] { 854, 1094, 1216, 1262, 2416 }, cropSides.Order().ToArray());
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
