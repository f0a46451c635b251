using TrackSharp.Data.Datasets;
using TrackSharp.Data.Sampling;
using TrackSharp.Detection.Data;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Data.Datasets;

/// <summary>COCO instances JSON as a tracking dataset (pytracking/OSTrack MSCOCOSeq): a hand-written file; expected
/// values are the numbers written.</summary>
public sealed class CocoTrackingLayoutTests : IDisposable
{
    private readonly DatasetFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private const string Json = """
        {"images": [{"id": 1, "width": 32, "height": 24, "file_name": "000000000001.jpg"},
                    {"id": 2, "width": 32, "height": 24, "file_name": "000000000002.jpg"}],
         "categories": [{"id": 18, "name": "dog", "supercategory": "animal"}],
         "annotations": [
           {"id": 10, "image_id": 1, "category_id": 18, "bbox": [1.5, 2, 10, 12], "area": 100, "iscrowd": 0},
           {"id": 11, "image_id": 1, "category_id": 18, "bbox": [0, 0, 30, 20], "area": 500, "iscrowd": 1},
           {"id": 12, "image_id": 2, "category_id": 18, "bbox": [4, 5, 0, 7], "area": 0, "iscrowd": 0},
           {"id": 13, "image_id": 2, "category_id": 18, "bbox": [3, 4, 5, 6]}
         ]}
        """;

    private string Write(string imageFolder = "images/train2017")
    {
        _fx.Text("coco/annotations/instances_train2017.json", Json);
        _fx.Frames("coco/" + imageFolder, 2, "{0:D12}.jpg");
        return _fx.PathOf("coco");
    }

    [Fact]
    public void EachNonCrowdObjectIsAOneFrameSequence()
    {
        string root = Write();
        Assert.Equal(DatasetFormat.Coco, DatasetReader.Detect(root));
        var dataset = DatasetReader.Open(root);
        Assert.Equal(DatasetFormat.Coco, dataset.Format);
        Assert.Equal(new[] { "10", "12", "13" }, dataset.Sequences.Select(s => s.Name)); // 11 is a crowd region
        var s10 = dataset["10"];
        Assert.Equal(1, s10.Length);
        Assert.Equal(new BoxXywh(1.5, 2, 10, 12), Assert.Single(s10.GroundTruth));
        Assert.Equal(Path.Combine(root, "images", "train2017", "000000000001.jpg"), Assert.Single(s10.FramePaths));
        Assert.Equal("dog", s10.Attributes["class"]);
        Assert.Equal("animal", s10.Attributes["supercategory"]);
        Assert.Equal("1", s10.Attributes["image_id"]);
        Assert.True(s10.IsVisible(0));
        Assert.False(dataset["12"].IsVisible(0)); // zero width: not valid, not visible (MSCOCOSeq's valid = w > 0 & h > 0)
        using (var frame = s10.ReadFrame(0)) Assert.Equal((32, 24), (frame.Width, frame.Height));

        var report = DatasetChecker.Check(dataset);
        Assert.Empty(report.Problems);
        Assert.Equal(3, report.Frames);
        Assert.Equal(1, report.AbsentFrames);
        Assert.Contains(report.Notes, n => n.Message.Contains("1 crowd annotation", StringComparison.Ordinal));
    }

    [Fact]
    public void ImagesDirectlyUnderTheRootAreFoundAndAMissingImageIsReportedByPath()
    {
        string root = Write(imageFolder: "train2017");
        File.Delete(Path.Combine(root, "train2017", "000000000002.jpg"));
        var report = DatasetChecker.Check(DatasetReader.Open(root, DatasetFormat.Coco));
        Assert.Equal(2, report.Problems.Count); // sequences 12 and 13 share the missing image
        Assert.All(report.Problems, p => Assert.Equal(Path.Combine(root, "train2017", "000000000002.jpg"), p.File));
    }

    [Fact]
    public void ASplitIsChosenByNameAndAMissingSplitOrBadJsonNamesTheFile()
    {
        string root = Write();
        _fx.Text("coco/annotations/instances_val2017.json", Json.Replace("\"id\": 13", "\"id\": 99"));
        _fx.Frames("coco/images/val2017", 2, "{0:D12}.jpg");
        var val = CocoTrackingReader.Open(root, "val2017");
        Assert.Equal("99", val.Sequences[^1].Name);
        Assert.Contains(DatasetReader.Open(root).Findings, f => f.Message.Contains("2 instances files", StringComparison.Ordinal));

        var missing = Assert.Throws<DatasetFormatException>(() => CocoTrackingReader.Open(root, "test2017"));
        Assert.Contains("instances_test2017.json", missing.Message);

        _fx.Text("coco/annotations/instances_val2017.json", Json.Replace("[3, 4, 5, 6]", "[3, 4, 5]"));
        var bad = Assert.Throws<DetectionDataException>(() => CocoTrackingReader.Open(root, "val2017"));
        Assert.Contains("instances_val2017.json", bad.Message);
        Assert.Contains("annotations[3].bbox", bad.Message);
    }

    [Fact]
    public void TheTrackingSamplerRepeatsTheOneImageForEveryTemplateAndSearchFrame()
    {
        var source = new DatasetSampleSource(DatasetReader.Open(Write()));
        Assert.False(source.IsVideo);
        var sampler = new TrackingSampler([source], null, new TrackingSamplerOptions
        {
            SamplesPerEpoch = 20, TemplateFrames = 2, SearchFrames = 1, Seed = 3,
        });
        foreach (var sample in sampler.Epoch(0))
        {
            Assert.Equal(new[] { 0, 0 }, sample.TemplateFrames);
            Assert.Equal(new[] { 0 }, sample.SearchFrames);
        }
        // MinSequenceLength 20 and the visible-frame count do not apply to images (pytracking accepts them as they are).
        Assert.Contains(sampler.Epoch(0), s => s.SequenceName == "12");
    }
}
