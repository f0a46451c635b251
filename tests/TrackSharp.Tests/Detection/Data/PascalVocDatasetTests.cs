using TrackSharp.Detection.Data;
using Xunit;

namespace TrackSharp.Tests.Detection.Data;

/// <summary>maskrcnn-benchmark's PascalVOCDataset rules on a hand-made VOC folder (expected values by hand).</summary>
public class PascalVocDatasetTests
{
    private static string Xml(string objects, int width = 200, int height = 100) => $"""
        <annotation>
          <folder>VOC2007</folder>
          <size><width>{width}</width><height>{height}</height><depth>3</depth></size>
        {objects}
        </annotation>
        """;

    private static string Obj(string name, int difficult, int x1, int y1, int x2, int y2) =>
        $"<object><name>{name}</name><difficult>{difficult}</difficult><bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin><xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox></object>";

    private static DetectionDatasetFixture Make()
    {
        var f = new DetectionDatasetFixture();
        f.Write("ImageSets/Main/train.txt", "000005\n000002\n");
        f.Write("Annotations/000005.xml", Xml(Obj(" Dog ", 0, 1, 1, 50, 40) + Obj("chair", 1, 10, 20, 30, 60) + Obj("person", 0, 150, 50, 201, 101)));
        f.Write("Annotations/000002.xml", Xml(Obj("aeroplane", 0, 5, 6, 7, 8), 50, 80));
        return f;
    }

    [Fact]
    public void ReadsListOrderClassesAndZeroBasedBoxes()
    {
        using var f = Make();
        var ds = new PascalVocDataset(f.Root, "train");
        Assert.Equal(2, ds.Count);
        Assert.Equal(21, ds.ClassNames.Count);
        Assert.Equal(new DetectionImageInfo("000005", 200, 100, Path.Combine(f.Root, "JPEGImages", "000005.jpg")), ds.GetImageInfo(0));
        var t = ds.GetTarget(0);
        // " Dog " -> dog (12); difficult chair dropped; person (15) 149,49,200,100 clipped to 199,99.
        Assert.Equal([0f, 0f, 49f, 39f, 149f, 49f, 199f, 99f], t.Boxes);
        Assert.Equal([12L, 15L], t.Labels);
        Assert.Equal([false, false], t.Difficult);
        Assert.Equal([1L], ds.GetTarget(1).Labels);
        Assert.Equal((50, 80), (ds.GetImageInfo(1).Width, ds.GetImageInfo(1).Height));
    }

    [Fact]
    public void UseDifficultKeepsTheFlag()
    {
        using var f = Make();
        var t = new PascalVocDataset(f.Root, "train", useDifficult: true).GetTarget(0);
        Assert.Equal([12L, 9L, 15L], t.Labels);
        Assert.Equal([false, true, false], t.Difficult);
        Assert.Equal([9f, 19f, 29f, 59f], t.Boxes[4..8]);
    }

    [Fact]
    public void UnknownClassNamesFileAndLine()
    {
        using var f = Make();
        string path = f.Write("Annotations/000002.xml", Xml("\n" + Obj("unicorn", 0, 1, 1, 5, 5)));
        var e = Assert.Throws<DetectionDataException>(() => new PascalVocDataset(f.Root, "train").GetTarget(1));
        Assert.Contains(path, e.Message);
        Assert.Contains("unicorn", e.Message);
        Assert.Contains("line 5", e.Message);
    }

    [Fact]
    public void BadCoordinateAndBrokenXmlAreReported()
    {
        using var f = Make();
        f.Write("Annotations/000002.xml", Xml(Obj("cat", 0, 1, 1, 5, 5).Replace("<xmax>5</xmax>", "<xmax>five</xmax>")));
        var e = Assert.Throws<DetectionDataException>(() => new PascalVocDataset(f.Root, "train").GetTarget(1));
        Assert.Contains("<xmax>five</xmax>", e.Message);
        string broken = f.Write("Annotations/000005.xml", "<annotation>\n<size>\n</annotation>");
        var e2 = Assert.Throws<DetectionDataException>(() => new PascalVocDataset(f.Root, "train").GetTarget(0));
        Assert.Contains(broken, e2.Message);
        Assert.Contains("line 3", e2.Message);
    }

    [Fact]
    public void MissingImageSetIsFileNotFound()
    {
        using var f = Make();
        var e = Assert.Throws<FileNotFoundException>(() => new PascalVocDataset(f.Root, "val"));
        Assert.Contains("val.txt", e.Message);
    }
}
