using System.Globalization;
using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Data.Crop511;
using TrackSharp.Geometry;
using TrackSharp.Tests.Cli;
using Xunit;

namespace TrackSharp.Tests.Data.Crop511;

/// <summary>COCO and ImageNet-VID into pysot's crop511 layout (coco/par_crop.py + gen_json.py, vid/par_crop.py +
/// parse_vid.py + gen_json.py) on tiny trees written here; expected keys and boxes worked out by hand from the scripts.</summary>
[Collection(CliCollection.Name)]
public sealed class Crop511PysotSourcesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ts-crop511-pysot-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A 64x48 black frame with a white rectangle [x1, x2) x [y1, y2), saved as JPEG bytes (any name).</summary>
    private static void WriteFrame(string path, int x1, int y1, int x2, int y2)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = new Mat(48, 64, MatType.CV_8UC3, Scalar.All(0));
        image[new Rect(x1, y1, x2 - x1, y2 - y1)].SetTo(Scalar.All(255));
        Cv2.ImEncode(".jpg", image, out byte[] bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, 100));
        File.WriteAllBytes(path, bytes);
    }

    private static Dictionary<string, Dictionary<string, Dictionary<string, double[]>>> ReadJson(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.EnumerateObject().ToDictionary(v => v.Name, v => v.Value.EnumerateObject().ToDictionary(
            t => t.Name, t => t.Value.EnumerateObject().ToDictionary(f => f.Name, f => f.Value.EnumerateArray().Select(n => n.GetDouble()).ToArray())));
    }

    /// <summary>The written crop of a box centred on a white target: white at the crop centre (the box centre maps to
    /// pixel 255), dark outside the target inside the frame, and the frame's mean where the square leaves the frame.</summary>
    private static void AssertCentredTarget(string cropPath, double boxW, double boxH, double frameMean)
    {
        using var crop = Cv2.ImRead(cropPath);
        Assert.Equal(new Size(511, 511), crop.Size());
        // s_x = sqrt((w + (w+h)/2)(h + (w+h)/2))·511/127; the target spans w·510/s_x crop pixels
        double c = 0.5 * (boxW + boxH);
        double sx = Math.Sqrt((boxW + c) * (boxH + c)) * 511 / 127;
        double halfW = boxW * 510 / sx / 2, halfH = boxH * 510 / sx / 2;
        Assert.InRange(crop.At<Vec3b>(255, 255).Item0, 240, 255);
        Assert.InRange(crop.At<Vec3b>(255 + (int)(0.7 * halfH), 255 - (int)(0.7 * halfW)).Item1, 240, 255);
        Assert.InRange(crop.At<Vec3b>(255, 255 + (int)(1.3 * halfW) + 3).Item2, 0, 15);
        Assert.InRange(crop.At<Vec3b>(0, 0).Item0, frameMean - 3, frameMean + 3);
    }

    private string WriteCocoTree()
    {
        string root = Path.Combine(_dir, "coco");
        // image 9: targets drawn at annotation 1 only; image 25: its name has two dots (stem = up to the first)
        WriteFrame(Path.Combine(root, "train2017", "000000000009.jpg"), 10, 8, 30, 24);
        WriteFrame(Path.Combine(root, "train2017", "000000000025.v2.jpg"), 4, 4, 12, 12);
        WriteFrame(Path.Combine(root, "train2017", "000000000030.jpg"), 0, 0, 1, 1);
        Directory.CreateDirectory(Path.Combine(root, "annotations"));
        File.WriteAllText(Path.Combine(root, "annotations", "instances_train2017.json"), """
            {"images": [{"id": 9, "file_name": "000000000009.jpg", "width": 64, "height": 48},
                        {"id": 25, "file_name": "000000000025.v2.jpg", "width": 64, "height": 48},
                        {"id": 30, "file_name": "000000000030.jpg", "width": 64, "height": 48}],
             "annotations": [{"id": 1, "image_id": 9, "category_id": 1, "bbox": [10, 8, 20, 16], "iscrowd": 0},
                             {"id": 5, "image_id": 25, "category_id": 1, "bbox": [4, 4, 8, 8], "iscrowd": 0},
                             {"id": 2, "image_id": 9, "category_id": 1, "bbox": [0, 0, 30, 30], "iscrowd": 1},
                             {"id": 3, "image_id": 9, "category_id": 1, "bbox": [5, 5, 0, 10], "iscrowd": 0},
                             {"id": 4, "image_id": 9, "category_id": 1, "bbox": [1.5, 2.25, 10.5, 7.75], "iscrowd": 0}],
             "categories": [{"id": 1, "name": "thing", "supercategory": "thing"}]}
            """);
        return root;
    }

    [Fact]
    public void CocoWritesOneCropPerObjectPerImageWithPysotKeys()
    {
        var videos = Crop511CocoPlan.Build(WriteCocoTree());
        var summary = Crop511Writer.Convert(videos, Path.Combine(_dir, "out"), new Crop511Options { Threads = 2 });
        Assert.Equal(2, summary.Videos);
        Assert.Equal(4, summary.Crops);

        // tracks = the image's annotations in file order, crowd included, zero-width ones skipped but counted;
        // box [x, y, x + w, y + h]; image 30 has no annotation and gets no entry
        var json = ReadJson(Path.Combine(_dir, "out", "train.json"));
        Assert.Equal(["train2017/000000000009", "train2017/000000000025"], json.Keys.Order(StringComparer.Ordinal));
        var nine = json["train2017/000000000009"];
        Assert.Equal(["00", "01", "03"], nine.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([10, 8, 30, 24], nine["00"]["000000"]);
        Assert.Equal([0, 0, 30, 30], nine["01"]["000000"]);
        Assert.Equal([1.5, 2.25, 12, 10], nine["03"]["000000"]);
        Assert.Single(nine["03"]);
        Assert.Equal([4, 4, 12, 12], json["train2017/000000000025"]["00"]["000000"]);

        string crops = Path.Combine(_dir, "out", "crop511", "train2017");
        Assert.Equal(["000000.00.x.jpg", "000000.01.x.jpg", "000000.03.x.jpg"],
            Directory.GetFiles(Path.Combine(crops, "000000000009")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["000000.00.x.jpg"], Directory.GetFiles(Path.Combine(crops, "000000000025")).Select(Path.GetFileName));
        Assert.False(Directory.Exists(Path.Combine(crops, "000000000030")));
        // frame mean: 20·16 white pixels of 64·48 → 255·320/3072 = 26.6
        AssertCentredTarget(Path.Combine(crops, "000000000009", "000000.00.x.jpg"), 20, 16, 255.0 * 320 / 3072);

        // the reader of the layout sees 4 one-frame tracks
        var dataset = Crop511Dataset.OpenFolder(Path.Combine(_dir, "out"));
        Assert.Equal(4, dataset.SequenceCount);
        Assert.Equal(Path.Combine(crops, "000000000009", "000000.03.x.jpg"), dataset.ImagePath(2, 0));
    }

    private static string Xml(string frame, params (int TrackId, int X1, int Y1, int X2, int Y2)[] objects) =>
        $"<annotation><folder>v</folder><filename>{frame}</filename><size><width>64</width><height>48</height></size>" +
        string.Concat(objects.Select(o => string.Create(CultureInfo.InvariantCulture,
            $"<object><trackid>{o.TrackId}</trackid><name>n01</name><bndbox><xmax>{o.X2}</xmax><xmin>{o.X1}</xmin><ymax>{o.Y2}</ymax><ymin>{o.Y1}</ymin></bndbox><occluded>{(o.TrackId == 3 ? 1 : 0)}</occluded><generated>0</generated></object>"))) +
        "</annotation>";

    private string WriteVidTree()
    {
        string root = Path.Combine(_dir, "ILSVRC2015");
        string set = "ILSVRC2015_VID_train_0000";
        // vidA, 6 frames: track 0 in 0,1,2 and 4,5 (target drawn), track 1 in 1 and 3, track 3 (occluded) in 2,3
        var frames = new List<(int, int, int, int, int)>[6];
        for (int f = 0; f < 6; f++) frames[f] = [];
        foreach (int f in new[] { 0, 1, 2, 4, 5 }) frames[f].Add((0, 10 + 2 * f, 8, 30 + 2 * f, 24));
        foreach (int f in new[] { 1, 3 }) frames[f].Add((1, 40, 30, 50, 40));
        foreach (int f in new[] { 2, 3 }) frames[f].Add((3, 2, 2, 9, 12));
        for (int f = 0; f < 6; f++)
        {
            string name = f.ToString("D6", CultureInfo.InvariantCulture);
            string annotations = Path.Combine(root, "Annotations", "VID", "train", set, "vidA");
            Directory.CreateDirectory(annotations);
            File.WriteAllText(Path.Combine(annotations, name + ".xml"), Xml(name, frames[f].ToArray()));
            WriteFrame(Path.Combine(root, "Data", "VID", "train", set, "vidA", name + ".JPEG"), 10 + 2 * f, 8, 30 + 2 * f, 24);
        }
        // vidB: one object in one frame → a crop, but an empty JSON entry (isolated frames are dropped)
        Directory.CreateDirectory(Path.Combine(root, "Annotations", "VID", "train", set, "vidB"));
        File.WriteAllText(Path.Combine(root, "Annotations", "VID", "train", set, "vidB", "000000.xml"), Xml("000000", (0, 5, 6, 25, 30)));
        WriteFrame(Path.Combine(root, "Data", "VID", "train", set, "vidB", "000000.JPEG"), 5, 6, 25, 30);
        return root;
    }

    [Fact]
    public void VidCropsEveryObjectAndKeepsTheLastSnippetOfTwoOrMoreFramesPerTrack()
    {
        var videos = Crop511VidPlan.Build(WriteVidTree());
        var summary = Crop511Writer.Convert(videos, Path.Combine(_dir, "out"));
        Assert.Equal(2, summary.Videos);
        Assert.Equal(10, summary.Crops); // vidA: 5 + 2 + 2, vidB: 1

        var json = ReadJson(Path.Combine(_dir, "out", "train.json"));
        string a = "ILSVRC2015_VID_train_0000/vidA", b = "ILSVRC2015_VID_train_0000/vidB";
        Assert.Equal([a, b], json.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(json[b]);
        // track 0: runs [0,1,2] and [4,5] → the later one; track 1: runs of one frame only → no key; track 3 (occluded) kept
        Assert.Equal(["00", "03"], json[a].Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["000004", "000005"], json[a]["00"].Keys.Order(StringComparer.Ordinal));
        Assert.Equal([18, 8, 38, 24], json[a]["00"]["000004"]);
        Assert.Equal([20, 8, 40, 24], json[a]["00"]["000005"]);
        Assert.Equal(["000002", "000003"], json[a]["03"].Keys.Order(StringComparer.Ordinal));
        Assert.Equal([2, 2, 9, 12], json[a]["03"]["000003"]);

        string crops = Path.Combine(_dir, "out", "crop511", "ILSVRC2015_VID_train_0000");
        Assert.Equal(["000000.00.x.jpg", "000001.00.x.jpg", "000001.01.x.jpg", "000002.00.x.jpg", "000002.03.x.jpg",
                      "000003.01.x.jpg", "000003.03.x.jpg", "000004.00.x.jpg", "000005.00.x.jpg"],
            Directory.GetFiles(Path.Combine(crops, "vidA")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["000000.00.x.jpg"], Directory.GetFiles(Path.Combine(crops, "vidB")).Select(Path.GetFileName));
        AssertCentredTarget(Path.Combine(crops, "vidA", "000004.00.x.jpg"), 20, 16, 255.0 * 320 / 3072);

        var dataset = Crop511Dataset.OpenFolder(Path.Combine(_dir, "out"));
        Assert.Equal(["ILSVRC2015_VID_train_0000/vidA/00", "ILSVRC2015_VID_train_0000/vidA/03"],
            Enumerable.Range(0, dataset.SequenceCount).Select(dataset.SequenceName));
    }

    [Fact]
    public void VidReportsAMalformedFileByName()
    {
        string root = WriteVidTree();
        string bad = Path.Combine(root, "Annotations", "VID", "train", "ILSVRC2015_VID_train_0000", "vidA", "000002.xml");
        File.WriteAllText(bad, Xml("000002", (0, 1, 1, 5, 5)).Replace("<trackid>0</trackid>", "<trackid>x</trackid>"));
        var error = Assert.ThrowsAny<Exception>(() => Crop511VidPlan.Build(root));
        Assert.Contains(bad, error.Message);
        Assert.Contains("trackid", error.Message);
    }

    [Fact]
    public void CliDetectsCocoAndVidAndRejectsASplitForOtherFormats()
    {
        var coco = CliRunner.Run("datasets", "crop511", "--input", WriteCocoTree(), "--out", Path.Combine(_dir, "c"), "--split", "train2017");
        Assert.True(coco.ExitCode == 0, coco.Output + coco.Errors);
        Assert.Contains("wrote 4 crops of 2 videos", coco.Output);
        Assert.True(File.Exists(Path.Combine(_dir, "c", "crop511", "train2017", "000000000025", "000000.00.x.jpg")));

        var vid = CliRunner.Run("datasets", "crop511", "--input", WriteVidTree(), "--format", "vid", "--out", Path.Combine(_dir, "v"));
        Assert.True(vid.ExitCode == 0, vid.Output + vid.Errors);
        Assert.Contains("wrote 10 crops of 2 videos", vid.Output);

        var noSplit = CliRunner.Run("datasets", "crop511", "--input", WriteCocoTree(), "--out", Path.Combine(_dir, "c2"), "--split", "val2017");
        Assert.Equal(2, noSplit.ExitCode);
        Assert.Contains("instances_val2017.json", noSplit.Output + noSplit.Errors);

        var otb = CliRunner.Run("datasets", "crop511", "--input", Path.Combine(TestPaths.Shared, "data", "otb", "DragonBaby"),
            "--format", "otb", "--out", Path.Combine(_dir, "o"), "--split", "train");
        Assert.Equal(2, otb.ExitCode);
        Assert.Contains("--split", otb.Output + otb.Errors);
    }
}
