using TrackSharp.Data.Datasets;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Data.Datasets;

/// <summary>
/// The readers on the real sequences of shared/data; every expected count and value is taken from
/// shared/data/MANIFEST.md or read off the files by hand.
/// </summary>
public sealed class RealLayoutTests
{
    private static string DataPath(string relative) => Path.Combine(TestPaths.Shared, "data", relative);

    private static void AssertBox(BoxXywh expected, BoxXywh actual, double tolerance = 1e-9)
    {
        Assert.Equal(expected.X, actual.X, tolerance);
        Assert.Equal(expected.Y, actual.Y, tolerance);
        Assert.Equal(expected.Width, actual.Width, tolerance);
        Assert.Equal(expected.Height, actual.Height, tolerance);
    }

    [Fact]
    public void OtbFolderIsDetectedWithOneSequencePerAnnotationFile()
    {
        Assert.Equal(DatasetFormat.Otb, DatasetReader.Detect(DataPath("otb")));
        var dataset = DatasetReader.Open(DataPath("otb"));
        Assert.Equal(new[] { "Crossing", "David", "Diving", "DragonBaby", "Jogging_1", "MotorRolling" },
            dataset.Sequences.Select(s => s.Name));
    }

    [Fact]
    public void CrossingTabSeparatedCrlfHas120Rows()
    {
        var crossing = DatasetReader.Open(DataPath("otb"))["Crossing"];
        Assert.Equal(120, crossing.Length);
        Assert.Equal(120, crossing.GroundTruth.Count);
        AssertBox(new BoxXywh(205, 151, 17, 50), crossing.GroundTruth[0]); // "205\t151\t17\t50\r\n"
        AssertBox(new BoxXywh(202, 150, 19, 49), crossing.GroundTruth[1]);
        Assert.Equal((360, 240), crossing.ImageSize);
    }

    [Fact]
    public void DavidStartsAt0300AndEndsAt0419()
    {
        var david = DatasetReader.Open(DataPath("otb"))["David"];
        Assert.Equal(120, david.Length);
        Assert.Equal("0300.jpg", Path.GetFileName(david.FramePaths[0]));
        Assert.Equal("0419.jpg", Path.GetFileName(david.FramePaths[^1]));
        AssertBox(new BoxXywh(129, 80, 64, 78), david.GroundTruth[0]);
        using var frame = david.ReadFrame(0);
        Assert.Equal(320, frame.Width);
        Assert.Equal(240, frame.Height);
    }

    [Fact]
    public void DivingIsThe215AnnotatedFramesOf231Images()
    {
        var diving = DatasetReader.Open(DataPath("otb"))["Diving"];
        Assert.Equal(215, diving.Length);
        Assert.Equal(215, diving.FramePaths.Count);
        Assert.Equal("0215.jpg", Path.GetFileName(diving.FramePaths[^1]));
        Assert.Equal(231, Directory.GetFiles(diving.FrameFolder, "*.jpg").Length);
    }

    [Fact]
    public void JoggingHasTarget1OnlyAndIgnoresDsStore()
    {
        var dataset = DatasetReader.Open(DataPath("otb"));
        Assert.DoesNotContain(dataset.Sequences, s => s.Name is "Jogging" or "Jogging_2");
        var jogging = dataset["Jogging_1"];
        Assert.Equal(100, jogging.Length);
        Assert.EndsWith("groundtruth_rect.1.txt", jogging.AnnotationPath);
        Assert.All(jogging.FramePaths, p => Assert.EndsWith(".jpg", p));
        AssertBox(new BoxXywh(111, 98, 25, 101), jogging.GroundTruth[0]);
        Assert.True(jogging.GroundTruth[99].IsValid); // last row has no final newline in the source
    }

    [Fact]
    public void VotBagPolygonsBecomeMinMaxBoxes()
    {
        Assert.Equal(DatasetFormat.Vot, DatasetReader.Detect(DataPath("vot")));
        var bag = DatasetReader.Open(DataPath("vot"))["bag"];
        Assert.Equal(196, bag.Length);
        Assert.Equal("00000001.jpg", Path.GetFileName(bag.FramePaths[0]));
        // MANIFEST trap 9: min/max box of row 1 is 292.23,128.36,145.96,132.47.
        AssertBox(new BoxXywh(292.23, 128.36, 438.19 - 292.23, 260.83 - 128.36), bag.GroundTruth[0]);
        AssertBox(new BoxXywh(292.23, 128.36, 145.96, 132.47), bag.GroundTruth[0], 1e-9);
    }

    [Fact]
    public void Uav123TenFpsWakeboard7Has45Rows()
    {
        Assert.Equal(DatasetFormat.Uav123, DatasetReader.Detect(DataPath("uav123")));
        var seq = DatasetReader.Open(DataPath("uav123"))["wakeboard7"];
        Assert.Equal(45, seq.Length);
        Assert.Equal("000001.jpg", Path.GetFileName(seq.FramePaths[0]));
        AssertBox(new BoxXywh(623, 299, 11, 38), seq.GroundTruth[0]);
        Assert.Equal((1280, 720), seq.ImageSize);
    }

    [Fact]
    public void Dtb70Surfing06Has106RowsWithHalfPixels()
    {
        Assert.Equal(DatasetFormat.Dtb70, DatasetReader.Detect(DataPath("dtb70")));
        var seq = DatasetReader.Open(DataPath("dtb70"))["Surfing06"];
        Assert.Equal(DatasetFormat.Dtb70, seq.Format);
        Assert.Equal(106, seq.Length);
        Assert.Equal("00001.jpg", Path.GetFileName(seq.FramePaths[0]));
        AssertBox(new BoxXywh(725, 304, 41, 60), seq.GroundTruth[0]);
        AssertBox(new BoxXywh(722.5, 308, 41, 60), seq.GroundTruth[1]);
        AssertBox(new BoxXywh(720, 312.5, 42, 61), seq.GroundTruth[2]);
    }

    [Fact]
    public void OneOtbSequenceFolderOpensOnItsOwn()
    {
        var dataset = DatasetReader.Open(DataPath("otb/Crossing"));
        Assert.Equal("Crossing", Assert.Single(dataset.Sequences).Name);
    }
}
