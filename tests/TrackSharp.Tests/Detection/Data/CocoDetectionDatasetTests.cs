using TrackSharp.Detection.Data;
using Xunit;

namespace TrackSharp.Tests.Detection.Data;

/// <summary>COCO instances reader and maskrcnn-benchmark's COCODataset rules on a hand-made file (expected values by hand).</summary>
public class CocoDetectionDatasetTests
{
    // Images deliberately unsorted; categories 18 and 3 (contiguous: 3 -> 1, 18 -> 2).
    private const string Instances = """
    {"images": [
       {"id": 9, "width": 100, "height": 50, "file_name": "b.jpg"},
       {"id": 4, "width": 60, "height": 80, "file_name": "a.jpg"},
       {"id": 7, "width": 10, "height": 10, "file_name": "none.jpg"},
       {"id": 5, "width": 30, "height": 30, "file_name": "thin.jpg"}],
     "annotations": [
       {"id": 1, "image_id": 9, "category_id": 18, "bbox": [10, 5, 20, 10], "area": 200, "iscrowd": 0, "segmentation": [[10,5,30,5,30,15]]},
       {"id": 2, "image_id": 9, "category_id": 3, "bbox": [90.5, 40, 20, 20.0], "area": 1, "iscrowd": 0},
       {"id": 3, "image_id": 9, "category_id": 3, "bbox": [0, 0, 100, 50], "iscrowd": 1, "segmentation": {"counts": [0, 5000], "size": [50, 100]}},
       {"id": 4, "image_id": 4, "category_id": 3, "bbox": [1, 2, 3, 4], "area": 12, "iscrowd": 0},
       {"id": 5, "image_id": 5, "category_id": 18, "bbox": [1, 1, 1, 20], "area": 20, "iscrowd": 0}],
     "categories": [{"id": 18, "name": "dog"}, {"id": 3, "name": "car"}]}
    """;

    [Fact]
    public void TrainingDatasetFollowsCocoDatasetRules()
    {
        using var f = new DetectionDatasetFixture();
        var ds = new CocoDetectionDataset(f.Write("instances.json", Instances), f.Root, removeImagesWithoutAnnotations: true);
        // Sorted ids 4, 5, 7, 9; 7 has no annotation and 5 only a 1-pixel-wide box: both removed.
        Assert.Equal(2, ds.Count);
        Assert.Equal(4, ds.ImageId(0));
        Assert.Equal(9, ds.ImageId(1));
        Assert.Equal(["__background__", "car", "dog"], ds.ClassNames);
        Assert.Equal(1, ds.LabelOf(3));
        Assert.Equal(18, ds.CategoryIdOf(2));
        Assert.Equal(new DetectionImageInfo("9", 100, 50, Path.Combine(f.Root, "b.jpg")), ds.GetImageInfo(1));

        // Image 9: crowd dropped; [10,5,20,10] -> [10,5,29,14]; [90.5,40,20,20] -> x2 = 109.5, y2 = 59, clipped to 99 / 49.
        var t = ds.GetTarget(1);
        Assert.Equal([10f, 5f, 29f, 14f, 90.5f, 40f, 99f, 49f], t.Boxes);
        Assert.Equal([2L, 1L], t.Labels);
        Assert.Equal((100, 50), (t.Width, t.Height));
    }

    [Fact]
    public void TestDatasetKeepsEveryImageAndDropsEmptyBoxes()
    {
        using var f = new DetectionDatasetFixture();
        var ds = new CocoDetectionDataset(f.Write("instances.json", Instances), f.Root, removeImagesWithoutAnnotations: false);
        Assert.Equal(4, ds.Count);
        Assert.Equal([4L, 5L, 7L, 9L], Enumerable.Range(0, 4).Select(ds.ImageId));
        Assert.Equal(0, ds.GetTarget(2).Count);  // image 7: no annotations
        Assert.Equal(0, ds.GetTarget(1).Count);  // image 5: w = 1 gives x2 == x1, removed by clip_to_image
    }

    [Fact]
    public void ReaderKeepsAreaCrowdAndFileOrder()
    {
        using var f = new DetectionDatasetFixture();
        var coco = CocoInstances.Load(f.Write("instances.json", Instances));
        Assert.Equal([9L, 4L, 7L, 5L], coco.Images.Select(i => i.Id));
        Assert.Null(coco.Annotations[2].Area);
        Assert.True(coco.Annotations[2].IsCrowd);
        Assert.Equal(new CocoBox(90.5, 40, 20, 20), coco.Annotations[1].Box);
    }

    [Theory]
    [InlineData("""{"images": [], "categories": [], "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3]}]}""", "annotations[0].bbox")]
    [InlineData("""{"images": [{"id": "x"}], "categories": []}""", "images[0].id")]
    [InlineData("""{"images": [], "annotations": []}""", "missing key 'categories'")]
    [InlineData("""{"images": [], "categories": [], "annotations": [{"id": 1, "image_id": 1, "bbox": [1, 2, 3, 4]}]}""", "annotations[0]: missing key 'category_id'")]
    [InlineData("{\"images\": [\n{\"id\": 1,,}]}", "line 2")]
    public void MalformedFilesNameFileAndKey(string json, string expected)
    {
        using var f = new DetectionDatasetFixture();
        string path = f.Write("bad.json", json);
        var e = Assert.Throws<DetectionDataException>(() => CocoInstances.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void UnknownCategoryIsReportedWithItsAnnotation()
    {
        using var f = new DetectionDatasetFixture();
        string path = f.Write("i.json", """{"images": [{"id": 1, "width": 5, "height": 5}], "categories": [{"id": 1, "name": "a"}], "annotations": [{"id": 1, "image_id": 1, "category_id": 2, "bbox": [0, 0, 3, 3]}]}""");
        var e = Assert.Throws<DetectionDataException>(() => new CocoDetectionDataset(path, f.Root, true));
        Assert.Contains("annotations[0].category_id", e.Message);
    }
}
