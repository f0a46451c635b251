using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Trackers.NanoTrack;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.NanoTrack;

/// <summary>Native memory must not grow with the number of frames: 10,000 Track() calls on real frames.</summary>
/// <remarks>Runs alone (after the parallel tests): other tests allocating at the same time would move the
/// process's resident size.</remarks>
[Collection(MemoryMeasurementCollection.Name)]
public class NanoTrackMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void ResidentMemoryStaysFlatOverTenThousandTrackCalls()
    {
        using var tracker = new NanoTracker(
            new TorchNanoTrackNetwork(NanoTrackFactory.LoadModel(NanoTrackGolden.WeightsPath(NanoTrackVersion.V2))),
            NanoTrackConfig.For(NanoTrackVersion.V2));
        var frames = Enumerable.Range(0, 4).Select(i => Cv2.ImRead(NanoTrackGolden.FramePath("bag", i))).ToArray();
        try
        {
            tracker.Initialize(frames[0], new BoxXywh(316, 140, 110, 115));
            for (int i = 0; i < 500; i++) tracker.Track(frames[i % frames.Length]);   // warm-up: allocator pools settle
            var growth = MemoryGrowth.Measure(windows: 5, callsPerWindow: 2000, i => tracker.Track(frames[i % frames.Length]), output);
            // A leak of one search tensor (1x3x255x255 float32, 780 kB) per call would be 1.5 GB per window; 8 MB
            // per window is 4 kB per call.
            Assert.True(growth.MedianWindowGrowthMb < 8,
                $"resident memory grew by {growth.MedianWindowGrowthMb:F1} MB per 2,000 Track() calls (median of 5 windows)");
        }
        finally
        {
            foreach (var f in frames) f.Dispose();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "memory measurement";
}
