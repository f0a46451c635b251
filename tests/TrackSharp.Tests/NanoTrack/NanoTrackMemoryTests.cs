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
            long before = ProcessMemory.ResidentBytes();
            for (int i = 0; i < 10_000; i++) tracker.Track(frames[i % frames.Length]);
            long after = ProcessMemory.ResidentBytes();
            double growthMb = (after - before) / 1048576.0;
            output.WriteLine($"resident {before / 1048576.0:F1} MB -> {after / 1048576.0:F1} MB ({growthMb:+0.0;-0.0} MB) over 10,000 calls");
            // A leak of one search tensor (1x3x255x255 float32, 780 kB) per call would be 7.4 GB; 32 MB allows
            // allocator noise only.
            Assert.True(growthMb < 32, $"resident memory grew by {growthMb:F1} MB over 10,000 Track() calls");
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
