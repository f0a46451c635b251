using OpenCvSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Geometry;
using TrackSharp.Trackers.TrDiMP;
using TrackSharp.Tracking;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.TrDiMP;

/// <summary>
/// The <see cref="ITracker"/> wrapper: network settings inferred from the golden checkpoint's shapes, a missing
/// weights path is a clear error, and a seeded run over the golden frames is reproducible (its own random draws on a
/// random-weight network: the boxes are not those of track.json, which the replayed-draw tests check).
/// </summary>
public sealed class TrDiMPTrackerTests(ITestOutputHelper output)
{
    [Fact]
    public void InfersTheSmallConfigFromTheCheckpoint()
    {
        using var sd = StateDict.Load(TrDiMPGolden.WeightsPath);
        var cfg = TrDiMPCheckpoints.InferConfig(sd);
        // golden README: resnet_baby(inplanes=16), out_feature_dim 32, AtomIoUNet pred dims (32, 32).
        Assert.False(cfg.ResNet50Backbone);
        Assert.Equal(16, cfg.BackboneInplanes);
        Assert.Equal(32, cfg.OutFeatureDim);
        Assert.Equal((32, 32), cfg.IouInputDim);
        Assert.Equal((32, 32), cfg.IouInterDim);
    }

    [Fact]
    public void RegistryCreatesTrDiMPAndTrSiamFromWeights()
    {
        foreach (var name in new[] { "trdimp", "trsiam" })
        {
            var ex = Assert.Throws<ArgumentException>(() => TrackerRegistry.Default.Create(name, new TrackerOptions()));
            Assert.Contains("--weights", ex.Message);
            using var tracker = TrackerRegistry.Default.Create(name, new TrackerOptions { WeightsPath = TrDiMPGolden.WeightsPath });
            Assert.Equal(name, Assert.IsType<TrDiMPTracker>(tracker).Name);
        }
    }

    [Fact]
    public void TrackBeforeInitializeThrows()
    {
        using var tracker = new TrDiMPTracker("trdimp", TrDiMPCheckpoints.LoadNet(TrDiMPGolden.WeightsPath), TrDiMPTrackerParams.TrDiMP);
        using var frame = new Mat(64, 64, MatType.CV_8UC3, Scalar.All(0));
        Assert.Throws<InvalidOperationException>(() => tracker.Track(frame));
    }

    [Fact]
    public void SeededRunIsReproducible()
    {
        var golden = System.Text.Json.JsonDocument.Parse(File.ReadAllText(TrDiMPGolden.File("track.json"))).RootElement.GetProperty("frames");
        var runs = new List<BoxXywh[]>();
        for (int run = 0; run < 2; run++)
        {
            using var tracker = new TrDiMPTracker("trdimp", TrDiMPCheckpoints.LoadNet(TrDiMPGolden.WeightsPath), TrDiMPTrackerParams.TrDiMP, seed: 5);
            using (var f0 = Cv2.ImRead(Path.Combine(TrDiMPGolden.Folder, "frames", "00000.jpg")))
                tracker.Initialize(f0, new BoxXywh(302, 111, 166, 249));
            var boxes = new BoxXywh[3];
            for (int k = 1; k <= 3; k++)
            {
                using var f = Cv2.ImRead(Path.Combine(TrDiMPGolden.Folder, "frames", $"{k:00000}.jpg"));
                var r = tracker.Track(f);
                Assert.True(r.Box.IsValid);
                boxes[k - 1] = r.Box;
                var g = golden[k - 1].GetProperty("output_bbox_xywh").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                double iou = r.Box.IoU(new BoxXywh(g[0], g[1], g[2], g[3]));
                output.WriteLine($"run {run} frame {k}: {r.Box} score {r.Score:F3} flag {tracker.LastFlag}, IoU with golden {iou:F3}");
            }
            runs.Add(boxes);
        }
        Assert.Equal(runs[0], runs[1]);
    }
}
