using OpenCvSharp;
using TrackSharp.Detection.Fcos;
using TrackSharp.Tests.NanoTrack;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.Detection;

/// <summary>Native memory must not grow with the number of <see cref="FcosDetector.Detect"/> calls (golden small model,
/// demo image).</summary>
[Collection(MemoryMeasurementCollection.Name)]
public class FcosDetectorMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void Resident_memory_stays_flat_over_repeated_detections()
    {
        using var detector = new FcosDetector(FcosParity.LoadGoldenModel());
        using var image = Cv2.ImRead(FcosGolden.File("COCO_val2014_000000039769.jpg"));
        for (int i = 0; i < 10; i++) detector.Detect(image);   // warm-up: allocator pools settle
        var growth = MemoryGrowth.Measure(windows: 6, callsPerWindow: 10, _ => detector.Detect(image), output);
        // Leaking the input batch alone (1x3x256x352 float32, 1.1 MB) would be 11 MB in every window.
        Assert.True(growth.MedianWindowGrowthMb < 6,
            $"resident memory grew by {growth.MedianWindowGrowthMb:F1} MB per 10 Detect() calls (median of 6 windows)");
    }
}
