using TrackSharp.Data.Datasets;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Data.Datasets;

/// <summary>ImageNet-VID (ILSVRC2015 VID XML) with pytracking's ImagenetVID tracklet rules, on a hand-made tree;
/// expected values are the numbers written.</summary>
public sealed class ImagenetVidLayoutTests : IDisposable
{
    private readonly DatasetFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private static string Object(string trackId, string wnid, int xmin, int ymin, int xmax, int ymax, int occluded) => $"""
          <object>
            <trackid>{trackId}</trackid>
            <name>{wnid}</name>
            <bndbox><xmax>{xmax}</xmax><xmin>{xmin}</xmin><ymax>{ymax}</ymax><ymin>{ymin}</ymin></bndbox>
            <occluded>{occluded}</occluded>
            <generated>0</generated>
          </object>
        """;

    private static string Frame(params string[] objects) => $"""
        <annotation>
          <folder>ILSVRC2015_VID_train_0000/ILSVRC2015_train_00000000</folder>
          <size><width>32</width><height>24</height></size>
        {string.Concat(objects)}</annotation>
        """;

    /// <summary>Video A, 4 frames: track 0 in frames 0..3 (occluded in 2); track 1 in frames 1, 2, then missing in 3;
    /// track 2 appears in frame 3 only. Video B (another set), 2 frames, one track.</summary>
    private string WriteTree()
    {
        string a = "ILSVRC2015/Annotations/VID/train/ILSVRC2015_VID_train_0000/ILSVRC2015_train_00000000";
        _fx.Text(a + "/000000.xml", Frame(Object("0", "n02084071", 1, 2, 11, 22, 0)));
        _fx.Text(a + "/000001.xml", Frame(Object("0", "n02084071", 2, 3, 12, 23, 0), Object("1", "n02691156", 5, 5, 9, 8, 0)));
        _fx.Text(a + "/000002.xml", Frame(Object("1", "n02691156", 6, 5, 10, 8, 0), Object("0", "n02084071", 3, 4, 13, 24, 1)));
        _fx.Text(a + "/000003.xml", Frame(Object("0", "n02084071", 4, 5, 14, 24, 0), Object("2", "n01503061", 0, 0, 4, 4, 0)));
        _fx.Frames("ILSVRC2015/Data/VID/train/ILSVRC2015_VID_train_0000/ILSVRC2015_train_00000000", 4, "{0:D6}.JPEG", first: 0);
        string b = "ILSVRC2015/Annotations/VID/train/ILSVRC2015_VID_train_0001/ILSVRC2015_train_00010001";
        _fx.Text(b + "/000000.xml", Frame(Object("0", "n02958343", 0, 0, 8, 8, 0)));
        _fx.Text(b + "/000001.xml", Frame(Object("0", "n02958343", 1, 1, 9, 9, 0)));
        _fx.Frames("ILSVRC2015/Data/VID/train/ILSVRC2015_VID_train_0001/ILSVRC2015_train_00010001", 2, "{0:D6}.JPEG", first: 0);
        return _fx.PathOf("ILSVRC2015");
    }

    [Fact]
    public void OneSequencePerTrackIdFromItsFirstFrameToItsFirstGap()
    {
        string root = WriteTree();
        Assert.Equal(DatasetFormat.ImagenetVid, DatasetReader.Detect(root));
        var dataset = DatasetReader.Open(root);
        Assert.Equal(new[]
        {
            "ILSVRC2015_train_00000000_0", "ILSVRC2015_train_00000000_1", "ILSVRC2015_train_00000000_2",
            "ILSVRC2015_train_00010001_0",
        }, dataset.Sequences.Select(s => s.Name));

        var t0 = dataset["ILSVRC2015_train_00000000_0"];
        Assert.Equal(4, t0.Length);
        Assert.Equal(new BoxXywh(1, 2, 10, 20), t0.GroundTruth[0]); // [xmin, ymin, xmax - xmin, ymax - ymin]
        Assert.Equal(new BoxXywh(3, 4, 10, 20), t0.GroundTruth[2]);
        Assert.Equal(new[] { true, true, false, true }, Enumerable.Range(0, 4).Select(t0.IsVisible)); // occluded in frame 2
        Assert.Equal("n02084071", t0.Attributes["class"]);
        Assert.Equal("32", t0.Attributes["image_width"]);

        var t1 = dataset["ILSVRC2015_train_00000000_1"];
        Assert.Equal(2, t1.Length); // frames 1 and 2; missing in frame 3 ends the track
        Assert.Equal("1", t1.Attributes["first_frame"]);
        Assert.Equal(new BoxXywh(6, 5, 4, 3), t1.GroundTruth[1]);
        Assert.EndsWith(Path.Combine("ILSVRC2015_train_00000000", "000001.JPEG"), t1.FramePaths[0]);
        using (var frame = t1.ReadFrame(1)) Assert.Equal(32, frame.Width);

        var t2 = dataset["ILSVRC2015_train_00000000_2"];
        Assert.Equal(1, t2.Length);
        Assert.EndsWith("000003.JPEG", t2.FramePaths[0]);

        var report = DatasetChecker.Check(dataset);
        Assert.Empty(report.Problems);
        Assert.Equal(4 + 2 + 1 + 2, report.Frames);
        Assert.Equal(1, report.AbsentFrames);
    }

    [Fact]
    public void AMalformedFileIsReportedWithItsLineAndOnlyItsVideoIsSkipped()
    {
        string root = WriteTree();
        string bad = _fx.Text("ILSVRC2015/Annotations/VID/train/ILSVRC2015_VID_train_0001/ILSVRC2015_train_00010001/000001.xml",
            Frame(Object("0", "n02958343", 1, 1, 9, 9, 0)).Replace("<xmin>1</xmin>", "<xmin>one</xmin>"));
        var dataset = DatasetReader.Open(root);
        Assert.Equal(3, dataset.Sequences.Count);
        var problem = Assert.Single(DatasetChecker.Check(dataset).Problems);
        Assert.Equal(bad, problem.File);
        Assert.Equal(7, problem.Line); // the <bndbox> line of the object (annotation, folder, size, object, trackid, name, bndbox)
        Assert.Contains("bndbox/xmin", problem.Message);

        File.WriteAllText(bad, "<annotation><size><width>32</width>\n<height>24</height></size>\n<object>");
        var truncated = Assert.Single(DatasetChecker.Check(DatasetReader.Open(root)).Problems);
        Assert.Equal(bad, truncated.File);
        Assert.Equal(3, truncated.Line);
    }

    [Fact]
    public void AMissingFrameIsReportedByPath()
    {
        string root = WriteTree();
        string frame = Path.Combine(root, "Data", "VID", "train", "ILSVRC2015_VID_train_0000", "ILSVRC2015_train_00000000", "000002.JPEG");
        File.Delete(frame);
        var problems = DatasetChecker.Check(DatasetReader.Open(root)).Problems;
        Assert.Equal(2, problems.Count); // tracks 0 and 1 both span frame 2
        Assert.All(problems, p => Assert.Equal(frame, p.File));
    }
}
