using System.Globalization;
using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Data.Crop511;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Sampling;
using TrackSharp.Geometry;
using TrackSharp.Tests.Cli;
using Xunit;

namespace TrackSharp.Tests.Data.Crop511;

/// <summary>crop511 conversion of a real OTB sequence, the reader, and the CLI verb.</summary>
[Collection(CliCollection.Name)]
public sealed class Crop511DatasetTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ts-crop511-" + Guid.NewGuid().ToString("N"));
    private static string Crossing => Path.Combine(TestPaths.Shared, "data", "otb", "Crossing");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Row <paramref name="row"/> of Crossing's groundtruth (tab separated), read here by hand.</summary>
    private static double[] GroundTruthRow(int row) =>
        File.ReadAllLines(Path.Combine(Crossing, "groundtruth_rect.txt"))[row]
            .Split(['\t', ',', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void ConvertsEveryFrameAndTheCropMatchesTheHandComputedWarp()
    {
        var summary = Crop511Writer.Convert(DatasetReader.Open(Crossing, DatasetFormat.Otb), _dir, new Crop511Options { Threads = 2 });
        Assert.Equal(1, summary.Videos);
        Assert.Equal(120, summary.Crops);
        Assert.Equal(0, summary.SkippedFrames);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "train.json")));
        var video = json.RootElement.GetProperty("Crossing");
        var frames = video.GetProperty("00");
        Assert.Equal(120, frames.EnumerateObject().Count());
        var gt = GroundTruthRow(0);
        var first = frames.GetProperty("000000").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(new[] { gt[0], gt[1], gt[0] + gt[2], gt[1] + gt[3] }, first);

        string cropPath = Path.Combine(_dir, "crop511", "Crossing", "000000.00.x.jpg");
        using var written = Cv2.ImRead(cropPath);
        Assert.Equal(new Size(511, 511), written.Size());

        // The same crop by hand: affine map of the square of side s_z*511/127 around the box centre, float mean border.
        using var frame = Cv2.ImRead(Path.Combine(Crossing, "img", "0001.jpg"));
        var mean = frame.Mean();
        double w = gt[2], h = gt[3], cx = gt[0] + w / 2, cy = gt[1] + h / 2;
        double sx = Math.Sqrt((w + (w + h) / 2) * (h + (w + h) / 2)) * 511 / 127;
        double a = 510 / sx;
        using var m = new Mat(2, 3, MatType.CV_64FC1);
        m.Set(0, 0, a); m.Set(0, 1, 0.0); m.Set(0, 2, -a * (cx - sx / 2));
        m.Set(1, 0, 0.0); m.Set(1, 1, a); m.Set(1, 2, -a * (cy - sx / 2));
        using var expected = new Mat();
        Cv2.WarpAffine(frame, expected, m, new Size(511, 511), InterpolationFlags.Linear, BorderTypes.Constant, mean);
        using var diff = new Mat();
        Cv2.Absdiff(written, expected, diff);
        var meanDiff = diff.Mean();
        Assert.True(meanDiff.Val0 < 3 && meanDiff.Val1 < 3 && meanDiff.Val2 < 3, $"JPEG crop differs from the hand warp by {meanDiff}");

        var dataset = Crop511Dataset.OpenFolder(_dir, "otb");
        Assert.Equal(1, dataset.SequenceCount);
        Assert.Equal("Crossing/00", dataset.SequenceName(0));
        Assert.Equal(120, dataset.Visibility(0).VisibleCount);
        Assert.Equal(cropPath, dataset.ImagePath(0, 0));
        Assert.Equal(new BoxXyxy(gt[0], gt[1], gt[0] + gt[2], gt[1] + gt[3]), dataset.Box(0, 0));
    }

    private string WriteJson(string text)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "crop511"));
        string path = Path.Combine(_dir, "train.json");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ReaderDropsEmptyBoxesAndNonNumericKeysLikePysot()
    {
        string anno = WriteJson("""
            {"v1": {"00": {"000000": [1, 2, 11, 22], "000005": [3, 3, 3, 9], "000010": [0, 0, 5, 5], "meta": [1, 2]},
                    "01": {"000001": [5, 5, 4, 9]}},
             "v2": {"00": {"000002": [0, 0, 0, 0]}}}
            """);
        var d = Crop511Dataset.Open(Path.Combine(_dir, "crop511"), anno);
        Assert.Equal(1, d.SequenceCount);                 // v1/01 and v2 lose every frame
        Assert.Equal(new[] { 0, 10 }, d.Tracks[0].Frames); // 000005 has width 0
        Assert.Equal(new BoxXyxy(0, 0, 5, 5), d.Box(0, 1));
        Assert.EndsWith(Path.Combine("v1", "000010.00.x.jpg"), d.ImagePath(0, 1));
    }

    [Fact]
    public void MalformedAnnotationNamesTheFileAndKey()
    {
        string anno = WriteJson("""{"v1": {"00": {"000000": [1, 2, 3]}}}""");
        var e = Assert.Throws<DatasetFormatException>(() => Crop511Dataset.Open(Path.Combine(_dir, "crop511"), anno));
        Assert.Contains(anno, e.Message);
        Assert.Contains("v1/00/000000", e.Message);
        string bad = WriteJson("{\"v1\": ");
        var e2 = Assert.Throws<DatasetFormatException>(() => Crop511Dataset.Open(Path.Combine(_dir, "crop511"), bad));
        Assert.Contains(bad, e2.Message);
    }

    [Fact]
    public void FrameRangeCountsAnnotatedFramesNotFrameNumbers()
    {
        // Frames 0, 100, 200, 300, 400: with FRAME_RANGE 1 the search frame is at most one list position away.
        string anno = WriteJson("""{"v": {"00": {"000000": [0,0,9,9], "000100": [0,0,9,9], "000200": [0,0,9,9], "000300": [0,0,9,9], "000400": [0,0,9,9]}}}""");
        var d = Crop511Dataset.Open(Path.Combine(_dir, "crop511"), anno);
        var sampler = new SiamPairSampler([new SiamSubset(d, FrameRange: 1)], new SiamPairSamplerOptions { VideosPerEpoch = 200, Negative = 0 });
        bool sawNeighbour = false;
        for (int i = 0; i < 200; i++)
        {
            var p = sampler.Sample(0, i);
            int gap = Math.Abs(p.Template.Frame - p.Search.Frame);
            Assert.InRange(gap, 0, 1);
            sawNeighbour |= gap == 1;
        }
        Assert.True(sawNeighbour);
    }

    [Fact]
    public void CliVerbWritesTheLayoutAndRejectsAMissingInput()
    {
        var ok = CliRunner.Run("datasets", "crop511", "--input", Path.Combine(TestPaths.Shared, "data", "otb", "DragonBaby"),
            "--format", "otb", "--out", _dir, "--threads", "2");
        Assert.True(ok.ExitCode == 0, ok.Output + ok.Errors);
        Assert.Equal(50, Directory.GetFiles(Path.Combine(_dir, "crop511", "DragonBaby"), "*.x.jpg").Length);
        Assert.True(File.Exists(Path.Combine(_dir, "train.json")));

        var missing = CliRunner.Run("datasets", "crop511", "--input", Path.Combine(_dir, "nope"), "--out", _dir);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope", missing.Output + missing.Errors);
    }
}
