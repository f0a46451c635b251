using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Tests.NanoTrack;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.SiamBAN;

/// <summary>Native memory must not grow with the number of frames: 1,000 SiamBanTracker.Track() calls on real frames
/// (golden/siamban_small weights). Runs alone, like the NanoTrack memory test.</summary>
[Collection(MemoryMeasurementCollection.Name)]
public class SiamBanTrackerMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void ResidentMemoryStaysFlatOverOneThousandTrackCalls()
    {
        using var tracker = SiamBanTrackerGolden.CreateTracker();
        var frames = Enumerable.Range(0, 4).Select(i => Cv2.ImRead(SiamBanTrackerGolden.FramePath("bag", i))).ToArray();
        try
        {
            tracker.Initialize(frames[0], new BoxXywh(316, 140, 110, 115));
            for (int i = 0; i < 200; i++) tracker.Track(frames[i % frames.Length]);   // warm-up: allocator pools settle
            long before = ProcessMemory.ResidentBytes();
            for (int i = 0; i < 1_000; i++) tracker.Track(frames[i % frames.Length]);
            long after = ProcessMemory.ResidentBytes();
            double growthMb = (after - before) / 1048576.0;
            output.WriteLine($"resident {before / 1048576.0:F1} MB -> {after / 1048576.0:F1} MB ({growthMb:+0.0;-0.0} MB) over 1,000 calls");
            // Leaking one search input (1x3x255x255 float32, 780 kB) per call would be 780 MB.
            Assert.True(growthMb < 32, $"resident memory grew by {growthMb:F1} MB over 1,000 Track() calls");
        }
        finally
        {
            foreach (var f in frames) f.Dispose();
        }
    }
}
