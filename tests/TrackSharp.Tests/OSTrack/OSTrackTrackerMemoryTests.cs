using TrackSharp.Geometry;
using TrackSharp.Imaging;
using TrackSharp.Tests.NanoTrack;
using TrackSharp.Trackers.OSTrack;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.OSTrack;

/// <summary>Native memory must not grow with the number of frames: 600 OSTrackTracker.Track() calls on the golden
/// frames with the golden small model. Runs alone, like the other memory tests.</summary>
[Collection(MemoryMeasurementCollection.Name)]
public class OSTrackTrackerMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void ResidentMemoryStaysFlatOverSixHundredTrackCalls()
    {
        using var tracker = OSTrackTrackerFactory.Create(OSTrackGolden.WeightsPath, OSTrackGolden.ConfigPath);
        var frames = Enumerable.Range(1, 4)
            .Select(i => ImageIO.Read(Path.Combine(OSTrackGolden.Folder, "tracking", "frames", $"{i:D8}.jpg"))).ToArray();
        try
        {
            var box = new BoxXywh(292.23, 128.36, 145.96, 132.47); // track.json init_bbox_xywh
            tracker.Initialize(frames[0], box);
            for (int i = 0; i < 100; i++) tracker.Track(frames[i % frames.Length], box); // warm-up: allocator pools settle
            var growth = MemoryGrowth.Measure(windows: 6, callsPerWindow: 100, i => tracker.Track(frames[i % frames.Length], box), output);
            // Leaking one search input (1x3x256x256 float32, 786 kB) per call would be 77 MB in every window.
            Assert.True(growth.MedianWindowGrowthMb < 8,
                $"resident memory grew by {growth.MedianWindowGrowthMb:F1} MB per 100 Track() calls (median of 6 windows)");
        }
        finally
        {
            foreach (var f in frames) f.Dispose();
        }
    }
}
