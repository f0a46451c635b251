using TrackSharp.Detection;
using TrackSharp.Detection.Data;
using TrackSharp.Detection.Evaluation;
using Xunit;

namespace TrackSharp.Tests.Detection.Evaluation;

/// <summary>prepare_for_coco_detection (resize back, legacy +1 width, label map) and the results-file round trip (by hand).</summary>
public class CocoResultsConversionTests
{
    [Fact]
    public void DetectionsAreScaledBackWithTheLegacyPlusOne()
    {
        // Network input 200x100 from an original 400x300 image: x scaled by 2, y by 3.
        var dets = new List<DetectedBox> { new(10, 20, 29, 39, 0.75f, 2), new(0, 0, 0, 0, 0.5f, 1) };
        var r = CocoResultsConversion.ToResults(dets, 200, 100, 400, 300, imageId: 42, label => label * 10, firstId: 5);
        Assert.Equal(new CocoBox(20, 60, 39, 58), r[0].Box); // x: 20..58 -> 58 - 20 + 1; y: 60..117 -> 117 - 60 + 1
        Assert.Equal(new CocoBox(0, 0, 1, 1), r[1].Box);
        Assert.Equal((5L, 42L, 20L), (r[0].Id, r[0].ImageId, r[0].CategoryId));
        Assert.Equal((double)0.75f, r[0].Score);
        Assert.Equal(6, r[1].Id);
    }

    [Fact]
    public void WrittenResultsReadBackExactly()
    {
        using var f = new TrackSharp.Tests.Detection.Data.DetectionDatasetFixture();
        string gtPath = f.Write("gt.json", """{"images": [{"id": 42, "width": 400, "height": 300}], "categories": [{"id": 20, "name": "x"}], "annotations": []}""");
        var gt = CocoInstances.Load(gtPath);
        var results = new List<CocoDetectionResult> { new(1, 42, 20, new CocoBox(0.1f, 2.5, 3, 4), 0.675000011920929) };
        string path = Path.Combine(f.Root, "out", "bbox.json");
        CocoResultsFile.Write(path, results);
        var back = CocoResultsFile.Load(path, gt);
        Assert.Equal(results, back);
    }
}
