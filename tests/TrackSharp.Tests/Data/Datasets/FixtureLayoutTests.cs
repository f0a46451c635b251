using TrackSharp.Data.Datasets;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Data.Datasets;

/// <summary>
/// GOT-10k, LaSOT, custom and the quirks shared/data has no real example of (NaN rows, space separators, malformed
/// lines), on small datasets each test writes itself; expected values are the numbers written.
/// </summary>
public sealed class FixtureLayoutTests : IDisposable
{
    private readonly DatasetFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public void Got10kReadsListSplitFoldersLabelsAndMetaInfo()
    {
        // Train download: list.txt + GOT-10k_Train_split_01/GOT-10k_Train_000001/...
        _fx.Text("train/list.txt", "GOT-10k_Train_000001\nGOT-10k_Train_000002\n");
        string a = "train/GOT-10k_Train_split_01/GOT-10k_Train_000001";
        _fx.Frames(a, 4);
        _fx.Text(a + "/groundtruth.txt", "10,20,30,40\n11,21,31,41\n12,22,32,42\n13,23,33,43\n");
        _fx.Text(a + "/absence.label", "0\n0\n1\n0\n");
        _fx.Text(a + "/cover.label", "8\n5\n0\n0\n");
        _fx.Text(a + "/meta_info.ini", "[METAINFO]\nurl: https://youtu.be/x\nobject_class: ailurus fulgens\nmotion_class: walking\nresolution: (1280, 720)\n");
        string b = "train/GOT-10k_Train_split_02/GOT-10k_Train_000002";
        _fx.Frames(b, 2);
        _fx.Text(b + "/groundtruth.txt", "1,2,3,4\r\n5,6,7,8");

        Assert.Equal(DatasetFormat.Got10k, DatasetReader.Detect(_fx.PathOf("train")));
        var dataset = DatasetReader.Open(_fx.PathOf("train"));
        Assert.Equal(new[] { "GOT-10k_Train_000001", "GOT-10k_Train_000002" }, dataset.Sequences.Select(s => s.Name));
        var s1 = dataset["GOT-10k_Train_000001"];
        Assert.Equal(4, s1.Length);
        Assert.Equal(new BoxXywh(12, 22, 32, 42), s1.GroundTruth[2]);
        Assert.Equal(new[] { false, false, true, false }, s1.Absent);
        Assert.Equal(new[] { 8, 5, 0, 0 }, s1.Cover);
        // visible = box valid, not absent, cover > 0 (pytracking)
        Assert.Equal(new[] { true, true, false, false }, Enumerable.Range(0, 4).Select(s1.IsVisible));
        Assert.Equal("ailurus fulgens", s1.Attributes["object_class"]);
        Assert.Equal("(1280, 720)", s1.Attributes["resolution"]);
        Assert.Equal((32, 24), s1.ImageSize);
        Assert.Null(dataset["GOT-10k_Train_000002"].Absent);
        Assert.Empty(DatasetChecker.Check(dataset).Problems);
    }

    [Fact]
    public void Got10kTestSequenceWithFirstFrameBoxOnlyHasUnknownLaterBoxesAndIsNotAProblem()
    {
        _fx.Frames("test/GOT-10k_Test_000001", 5);
        _fx.Text("test/GOT-10k_Test_000001/groundtruth.txt", "10,20,30,40\n");
        _fx.Text("test/list.txt", "GOT-10k_Test_000001\n");
        var dataset = DatasetReader.Open(_fx.PathOf("test"));
        var seq = Assert.Single(dataset.Sequences);
        Assert.Equal(5, seq.Length);
        Assert.Equal(new BoxXywh(10, 20, 30, 40), seq.GroundTruth[0]);
        Assert.True(double.IsNaN(seq.GroundTruth[4].X));
        var report = DatasetChecker.Check(dataset);
        Assert.Empty(report.Problems);
        Assert.Contains(report.Notes, n => n.Message.Contains("first-frame box only"));
    }

    [Fact]
    public void LasotReadsClassFoldersOcclusionOutOfViewAndNlp()
    {
        string seq = "lasot/airplane/airplane-1";
        _fx.Frames(seq + "/img", 5);
        _fx.Text(seq + "/groundtruth.txt", "1,2,3,4\n2,3,4,5\n0,0,0,0\n4,5,6,7\n5,6,7,8\n");
        _fx.Text(seq + "/full_occlusion.txt", "0,0,0,1,0");
        _fx.Text(seq + "/out_of_view.txt", "0,0,1,0,0");
        _fx.Text(seq + "/nlp.txt", "white airplane flying in the sky\n");
        _fx.Frames("lasot/zebra/zebra-10/img", 2);
        _fx.Text("lasot/zebra/zebra-10/groundtruth.txt", "1,1,5,5\n2,2,5,5\n");

        Assert.Equal(DatasetFormat.Lasot, DatasetReader.Detect(_fx.PathOf("lasot")));
        var dataset = DatasetReader.Open(_fx.PathOf("lasot"));
        Assert.Equal(new[] { "airplane-1", "zebra-10" }, dataset.Sequences.Select(s => s.Name));
        var a = dataset["airplane-1"];
        Assert.Equal(5, a.Length);
        Assert.Equal(new[] { false, false, false, true, false }, a.FullOcclusion);
        Assert.Equal(new[] { false, false, true, false, false }, a.Absent);
        Assert.Equal(new[] { true, true, false, false, true }, Enumerable.Range(0, 5).Select(a.IsVisible));
        Assert.Equal("airplane", a.Attributes["class"]);
        Assert.Equal("white airplane flying in the sky", a.Attributes["nlp"]);
        var report = DatasetChecker.Check(dataset);
        Assert.Empty(report.Problems);
        Assert.Equal(2, report.Sequences[0].AbsentFrames); // frames 3 (out of view, 0-size box) and 4 (occluded)
    }

    [Fact]
    public void CustomLayoutIsOneFolderOfFramesWithGroundtruthTxt()
    {
        _fx.Frames("mine/car", 3, "frame_{0}.png");
        _fx.Text("mine/car/groundtruth.txt", "10 20 30 40\n11\t21 31,41\nNaN,NaN,NaN,NaN\n");
        _fx.Text("mine/car/absence.label", "0\n0\n1\n");
        _fx.Frames("mine/dog", 2, "{0}.jpg");
        _fx.Text("mine/dog/groundtruth.txt", "1,2,3,4\n1,2,3,4\n");

        Assert.Equal(DatasetFormat.Custom, DatasetReader.Detect(_fx.PathOf("mine")));
        var dataset = DatasetReader.Open(_fx.PathOf("mine"));
        var car = dataset["car"];
        Assert.Equal(3, car.Length);
        Assert.Equal("frame_1.png", Path.GetFileName(car.FramePaths[0]));
        Assert.Equal(new BoxXywh(11, 21, 31, 41), car.GroundTruth[1]);
        Assert.True(double.IsNaN(car.GroundTruth[2].Width));
        Assert.False(car.IsVisible(2));
        using (var frame = car.ReadFrame(2)) Assert.Equal(32, frame.Width);
        Assert.Equal(2, dataset["dog"].Length);
        var report = DatasetChecker.Check(dataset);
        Assert.Empty(report.Problems);
        Assert.Equal(1, report.AbsentFrames);
        // One sequence folder on its own is a dataset of one sequence.
        Assert.Equal("car", Assert.Single(DatasetReader.Open(_fx.PathOf("mine/car")).Sequences).Name);
    }

    [Fact]
    public void UnpaddedFrameNamesSortNumerically()
    {
        _fx.Frames("n/s", 12, "{0}.jpg", first: 0);
        _fx.Text("n/s/groundtruth.txt", DatasetFixture.Lines(12, i => $"{i},0,5,5"));
        var seq = DatasetReader.Open(_fx.PathOf("n"), DatasetFormat.Custom)["s"];
        Assert.Equal(new[] { "0.jpg", "1.jpg", "2.jpg" }, seq.FramePaths.Take(3).Select(Path.GetFileName));
        Assert.Equal("10.jpg", Path.GetFileName(seq.FramePaths[10]));
    }

    [Fact]
    public void UavNanRowsAreUnknownBoxesAndCountAsAbsent()
    {
        _fx.Frames("uav/data_seq/UAV123/bike1", 4, "{0:D6}.jpg");
        _fx.Text("uav/anno/UAV123/bike1.txt", "1,2,3,4\nNaN,NaN,NaN,NaN\nnan,nan,nan,nan\n4,5,6,7\n");
        var dataset = DatasetReader.Open(_fx.PathOf("uav"));
        var seq = dataset["bike1"];
        Assert.Equal(4, seq.Length);
        Assert.True(double.IsNaN(seq.GroundTruth[1].X));
        Assert.True(double.IsNaN(seq.GroundTruth[2].Height));
        var report = DatasetChecker.Check(dataset);
        Assert.Empty(report.Problems);
        Assert.Equal(2, report.AbsentFrames);
    }

    [Fact]
    public void MalformedLineThrowsNamingFileAndLineOnlyWhenTheGroundTruthIsRead()
    {
        _fx.Frames("bad/s", 3);
        string gt = _fx.Text("bad/s/groundtruth.txt", "1,2,3,4\n\n1,2,x,4\n1,2,3,4\n");
        var dataset = DatasetReader.Open(_fx.PathOf("bad"), DatasetFormat.Custom); // lazy: no parse yet
        var seq = dataset["s"];
        var e = Assert.Throws<DatasetFormatException>(() => seq.GroundTruth);
        Assert.Equal(gt, e.File);
        Assert.Equal(3, e.Line); // line numbers count blank lines, rows do not
        Assert.Contains("'x' is not a number", e.Message);
    }

    [Fact]
    public void UnknownLayoutAndUnknownSequenceGiveClearErrors()
    {
        Directory.CreateDirectory(_fx.PathOf("empty/sub"));
        var e = Assert.Throws<DatasetFormatException>(() => DatasetReader.Open(_fx.PathOf("empty")));
        Assert.Contains("--format", e.Message);
        Assert.Throws<DirectoryNotFoundException>(() => DatasetReader.Open(_fx.PathOf("nope")));
        var otb = DatasetReader.Open(Path.Combine(TestPaths.Shared, "data", "otb"));
        var k = Assert.Throws<KeyNotFoundException>(() => otb["Jogging_2"]);
        Assert.Contains("Jogging_1", k.Message);
    }
}
