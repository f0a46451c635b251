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
            var growth = MemoryGrowth.Measure(windows: 5, callsPerWindow: 200, i => tracker.Track(frames[i % frames.Length]), output);
            // Leaking one search input (1x3x255x255 float32, 780 kB) per call would be 156 MB in every window.
            Assert.True(growth.MedianWindowGrowthMb < 8,
                $"resident memory grew by {growth.MedianWindowGrowthMb:F1} MB per 200 Track() calls (median of 5 windows)");
        }
        finally
        {
            foreach (var f in frames) f.Dispose();
        }
    }
}
