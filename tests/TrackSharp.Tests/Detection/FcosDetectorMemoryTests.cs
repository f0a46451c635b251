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
        long before = ProcessMemory.ResidentBytes();
        for (int i = 0; i < 60; i++) detector.Detect(image);
        long after = ProcessMemory.ResidentBytes();
        double growthMb = (after - before) / 1048576.0;
        output.WriteLine($"resident {before / 1048576.0:F1} MB -> {after / 1048576.0:F1} MB ({growthMb:+0.0;-0.0} MB) over 60 calls");
        // Leaking the input batch alone (1x3x256x352 float32, 1.1 MB) would be 66 MB; allocator noise seen here: 4-14 MB.
        Assert.True(growthMb < 40, $"resident memory grew by {growthMb:F1} MB over 60 Detect() calls");
    }
}
