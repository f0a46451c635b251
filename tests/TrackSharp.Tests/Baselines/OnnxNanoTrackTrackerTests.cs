using OpenCvSharp;
using TrackSharp.Tests.NanoTrack;
using TrackSharp.Tracking;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.Baselines;

/// <summary>
/// The registry's "nanotrack-onnx" (official v2 ONNX export on ONNX Runtime inside the NanoTrack tracker)
/// against the reference PyTorch v2 run golden/nanotrack/v2/results/bag.txt. The export's features differ
/// from PyTorch's by ~1e-3, so boxes are compared by overlap, not to 0.01 px.
/// </summary>
public sealed class OnnxNanoTrackTrackerTests(ITestOutputHelper output)
{
    [Fact]
    public void FollowsTheReferenceV2RunOnBag()
    {
        var reference = ReferenceSequence.ReadBoxes(Path.Combine(NanoTrackGolden.Folder, "v2", "results", "bag.txt"));
        var frames = Directory.GetFiles(Path.Combine(NanoTrackGolden.Folder, "frames", "bag"), "*.jpg").Order(StringComparer.Ordinal).ToList();
        using var tracker = TrackerRegistry.Default.Create("nanotrack-onnx", new TrackerOptions
        {
            WeightsPath = Path.Combine(TestPaths.Shared, "weights", "nanotrack", "onnx_v2", "nanotrack_backbone_sim.onnx"),
            Threads = 1,
        });
        using (var first = Cv2.ImRead(frames[0])) tracker.Initialize(first, reference[0]);
        double minIoU = 1;
        for (int i = 1; i < frames.Count; i++)
        {
            using var frame = Cv2.ImRead(frames[i]);
            var result = tracker.Track(frame);
            minIoU = Math.Min(minIoU, result.Box.IoU(reference[i]));
            Assert.InRange(result.Score, 0, 1);
        }
        output.WriteLine($"nanotrack-onnx vs PyTorch v2 reference on bag: min IoU {minIoU:F4} over {frames.Count - 1} frames");
        Assert.True(minIoU > 0.95, $"min IoU {minIoU}");
    }
}
