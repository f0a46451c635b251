using TrackSharp.Detection.Data;
using Xunit;

namespace TrackSharp.Tests.Detection.Data;

/// <summary>The whole pipeline on a small VOC folder: grouping, padding, determinism and resume.</summary>
public class DetectionDataLoaderTests
{
    private static DetectionDatasetFixture Make()
    {
        var f = new DetectionDatasetFixture();
        (int W, int H)[] sizes = [(60, 40), (40, 60), (64, 48), (30, 30), (50, 20)];
        for (int i = 0; i < sizes.Length; i++)
        {
            var (w, h) = sizes[i];
            f.WriteImage($"JPEGImages/{i:D6}.jpg", w, h, (byte)(20 * i), 100, 200);
            f.Write($"Annotations/{i:D6}.xml",
                $"<annotation><size><width>{w}</width><height>{h}</height></size><object><name>cat</name><difficult>0</difficult>" +
                $"<bndbox><xmin>2</xmin><ymin>3</ymin><xmax>{w - 4}</xmax><ymax>{h - 5}</ymax></bndbox></object></annotation>");
        }
        f.Write("ImageSets/Main/trainval.txt", string.Join("\n", Enumerable.Range(0, sizes.Length).Select(i => $"{i:D6}")));
        return f;
    }

    private static DetectionDataLoader Loader(string root, bool shuffle = true) => new(
        new PascalVocDataset(root, "trainval"),
        new DetectionTransform(new DetectionTransformOptions { MinSizes = [32, 48], MaxSize = 64 }),
        new DetectionLoaderOptions { ImagesPerBatch = 2, Shuffle = shuffle, Seed = 7 });

    [Fact]
    public void BatchesAreGroupedPaddedAndDeterministic()
    {
        using var f = Make();
        var groups = AspectRatioGrouping.GroupIds(new PascalVocDataset(f.Root, "trainval")); // h/w: .67 1.5 .75 1 .4 -> 0 1 0 1 0
        Assert.Equal([0, 1, 0, 1, 0], groups);
        var first = Loader(f.Root).Training(6).ToList();
        var second = Loader(f.Root).Training(6).ToList();
        Assert.Equal([1L, 2, 3, 4, 5, 6], first.Select(x => x.Iteration));
        for (int i = 0; i < first.Count; i++)
        {
            var (_, a) = first[i];
            var (_, b) = second[i];
            Assert.Equal(a.Indices, b.Indices);
            Assert.Single(a.Indices.Select(ix => groups[ix]).Distinct());
            Assert.Equal(0, a.Images.shape[2] % 32);
            Assert.Equal(0, a.Images.shape[3] % 32);
            Assert.Equal(a.Images.shape, b.Images.shape);
            Assert.Equal(a.Images.data<float>().ToArray(), b.Images.data<float>().ToArray());
            Assert.Equal(a.Targets.SelectMany(t => t.Boxes), b.Targets.SelectMany(t => t.Boxes));
            a.Dispose();
            b.Dispose();
        }
    }

    [Fact]
    public void ResumeStartsAPassAtTheStartIteration()
    {
        using var f = Make();
        var loader = Loader(f.Root);
        var resumed = loader.Training(5, startIteration: 3).ToList();
        Assert.Equal([4L, 5], resumed.Select(x => x.Iteration));
        var pass = loader.BatchesOfPass(3);
        Assert.Equal(pass[0], resumed[0].Batch.Indices);
        Assert.Equal(pass[1], resumed[1].Batch.Indices);
        foreach (var (_, b) in resumed) b.Dispose();
    }

    [Fact]
    public void TestPassKeepsDatasetOrderWithinGroups()
    {
        using var f = Make();
        var batches = Loader(f.Root, shuffle: false).OnePass().ToList();
        // group 0: 0 2 4 -> [0,2] [4]; group 1: 1 3 -> [1,3]; by first position: [0,2] [1,3] [4].
        Assert.Equal([[0, 2], [1, 3], [4]], batches.Select(b => b.Indices.ToArray()));
        foreach (var b in batches) b.Dispose();
    }

    [Fact]
    public void ImageAnnotationSizeMismatchNamesTheImage()
    {
        using var f = Make();
        string image = f.WriteImage("JPEGImages/000003.jpg", 50, 50); // the XML says 30x30
        var loader = Loader(f.Root, shuffle: false);
        var e = Assert.Throws<DetectionDataException>(() => loader.Load([3], 1));
        Assert.Contains(image, e.Message);
        Assert.Contains("50x50", e.Message);
        Assert.Contains("30x30", e.Message);
    }
}
