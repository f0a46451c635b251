using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Tests.NanoTrack;
using TrackSharp.Trackers.TrDiMP;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.TrDiMP;

/// <summary>Native memory must not grow with the number of frames: 60 TrDiMPTracker.Track() calls (after 10 warm-up
/// calls) on the golden frames with the golden small network. The transformer memory is capped at 16 frames here so that
/// it is full after the warm-up (its growth to 20 frames legitimately raises the working set, and every encoder re-run
/// over 20·484 tokens is slow). Runs alone, like the other memory tests.</summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class TrDiMPTrackerMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void ResidentMemoryStaysFlatOverSixtyTrackCalls()
    {
        var frames = Enumerable.Range(0, 12).Select(i => Cv2.ImRead(Path.Combine(TrDiMPGolden.Folder, "frames", $"{i:00000}.jpg"))).ToArray();
        try
        {
            using var tracker = new TrDiMPTracker("trdimp", TrDiMPCheckpoints.LoadNet(TrDiMPGolden.WeightsPath), TrDiMPTrackerParams.TrDiMP with { TransformerMemorySize = 16 }, seed: 1);
            tracker.Initialize(frames[0], new BoxXywh(302, 111, 166, 249));
            // Warm-up: allocator pools settle, the sample memory and transformer memory grow to their working sizes.
            for (int i = 0; i < 10; i++) tracker.Track(frames[1 + i % 11]);
            var growth = MemoryGrowth.Measure(windows: 6, callsPerWindow: 10, i => tracker.Track(frames[1 + i % 11]), output);
            // Leaking one 352x352 RGB float patch (1.5 MB) per call would be 15 MB in every window.
            Assert.True(growth.MedianWindowGrowthMb < 8,
                $"resident memory grew by {growth.MedianWindowGrowthMb:F1} MB per 10 Track() calls (median of 6 windows)");
        }
        finally
        {
            foreach (var f in frames) f.Dispose();
        }
    }
}
