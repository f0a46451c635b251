using System.Text.Json.Serialization;
using OpenCvSharp;
using TorchSharp;
using TrackSharp.Geometry;
using TrackSharp.Imaging;
using TrackSharp.Trackers.TrDiMP;
using TrackSharp.Tracking;

namespace TrackSharp.Cli.Benchmarks;

/// <summary>What <c>bench trdimp</c> reports (JSON keys as given; the shared ones in <see cref="TrackerBenchReport"/>).
/// Its weights are always seeded random, so it has no config or weights keys and <c>random_init</c> is always true.</summary>
public sealed record TrDiMPBenchReport : TrackerBenchReport
{
    public TrDiMPBenchReport(TrackerBenchRun run, bool resNet50)
        : base(run, TrDiMPBenchmark.Python.MsPerFrame, TrDiMPBenchmark.GoalMaxRatio, resNet50) => RandomInit = true;

    /// <summary>"resnet50" (the published network) or "small" (golden/trdimp_small widths).</summary>
    [JsonPropertyName("network")] public string Network { get; init; } = "";
    [JsonPropertyName("bn_calibration_crops"), JsonPropertyOrder(AfterRandomInit)] public int BnCalibrationCrops { get; init; }

    /// <summary>Localisation flags of all Track() calls (warm-up and timed) per thread count: 'NotFound' frames skip the
    /// IoUNet refinement and the classifier update, so a run of only those would be misleadingly fast.</summary>
    [JsonPropertyName("flags"), JsonPropertyOrder(AfterResults)] public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Flags { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, int>>();

    [JsonPropertyName("reference"), JsonPropertyOrder(ReferenceSlot)] public PythonReferenceByThreads Reference { get; init; } = new();
}

/// <summary>
/// <c>bench trdimp</c>: the TrDiMP tracker (pytracking's trdimp parameters) with a seeded random network, timed per
/// Track() call at each thread count with <see cref="TrackerBenchmark.Measure"/>. Random backbone BatchNorm statistics
/// make every layer's output dominated by its channel means, so every frame would be 'not_found' and the IoUNet
/// refinement and classifier updates never run; as in golden/trdimp_small the backbone's running statistics are
/// therefore taken from random square crops of the first frame (resized to 352, ImageNet normalisation).
/// </summary>
public static class TrDiMPBenchmark
{
    public const int DefaultFrames = 30, QuickFrames = 5;
    public const int DefaultWarmup = 3, QuickWarmup = 1;
    public const int Seed = 20210601;
    public const int CalibrationCrops = 8;
    public const int SampleSize = 352;

    /// <summary>The goal of issue 13: at most this fraction of the Python time.</summary>
    public const double GoalMaxRatio = 0.8;

    /// <summary>pytracking's TrDiMP (ResNet-50, random weights, BN calibrated) on the project's 2-core machine, 2 threads:
    /// median 1442 ms/frame, initialisation 12 s (issue 13).</summary>
    public static PythonReferenceByThreads Python { get; } = new()
    {
        Source = "TransformerTrack pytracking trdimp.py, ResNet-50, random weights with calibrated BatchNorm, torch 1.13 CPU, " +
                 "2 threads, on the project's 2-core machine (issue 13; initialisation 12 s)",
        MsPerFrame = new Dictionary<string, double> { ["2"] = 1442 },
    };

    /// <summary>A registry with one entry, <paramref name="name"/>: TrDiMP on a seeded random network calibrated on
    /// <paramref name="calibrationFrame"/> (the same weights for every thread count).</summary>
    /// <param name="flags">Receives, per created tracker (one per thread count, in order), the localisation flag
    /// histogram of every Track() call (warm-up and timed).</param>
    public static TrackerRegistry Registry(string name, TrDiMPNetConfig config, Mat calibrationFrame,
        List<Dictionary<string, int>>? flags = null)
    {
        var registry = new TrackerRegistry();
        registry.Register(name, "TrDiMP under test", _ =>
        {
            var tracker = new TrDiMPTracker(name, RandomNet(config, calibrationFrame), TrDiMPTrackerParams.TrDiMP, seed: Seed);
            if (flags is null) return tracker;
            var histogram = new Dictionary<string, int>();
            flags.Add(histogram);
            return new FlagCountingTracker(tracker, histogram);
        });
        return registry;
    }

    /// <summary>Passes calls through and counts <see cref="TrDiMPTracker.LastFlag"/> after each Track() (a dictionary
    /// increment: negligible next to a frame), so the report shows which code paths the timed frames took.</summary>
    private sealed class FlagCountingTracker(TrDiMPTracker inner, Dictionary<string, int> histogram) : ITracker
    {
        public string Name => inner.Name;
        public void Initialize(Mat frame, BoxXywh box) => inner.Initialize(frame, box);

        public TrackResult Track(Mat frame)
        {
            var result = inner.Track(frame);
            string key = inner.LastFlag?.ToString() ?? "none";
            histogram[key] = histogram.GetValueOrDefault(key) + 1;
            return result;
        }

        public void Dispose() => inner.Dispose();
    }

    /// <summary>
    /// A seeded random network whose backbone BatchNorm running statistics come from <see cref="CalibrationCrops"/>
    /// random square crops of <paramref name="frame"/> (one train-mode forward with momentum 1; momentum restored).
    /// </summary>
    public static TrDiMPNet RandomNet(TrDiMPNetConfig config, Mat frame)
    {
        torch.manual_seed(Seed);
        var net = new TrDiMPNet(config);
        try
        {
            var norms = net.Backbone.modules().OfType<TorchSharp.Modules.BatchNorm2d>().ToList();
            foreach (var bn in norms) bn.momentum = 1.0;
            net.Backbone.train();
            using (torch.no_grad())
            using (var scope = torch.NewDisposeScope())
            {
                var random = new Random(Seed);
                int minSide = Math.Min(frame.Width, frame.Height);
                var crops = new List<torch.Tensor>();
                for (int i = 0; i < CalibrationCrops; i++)
                {
                    int side = (int)(minSide * (0.4 + 0.6 * random.NextDouble()));
                    int x = random.Next(0, frame.Width - side + 1), y = random.Next(0, frame.Height - side + 1);
                    using var roi = new Mat(frame, new Rect(x, y, side, side));
                    using var resized = new Mat();
                    Cv2.Resize(roi, resized, new Size(SampleSize, SampleSize), 0, 0, InterpolationFlags.Linear);
                    crops.Add(TensorImage.ToTensor(resized, new TensorImageOptions { ChannelOrder = ChannelOrder.Rgb }));
                }
                var batch = torch.cat(crops) / 255;
                var mean = torch.tensor(new float[] { 0.485f, 0.456f, 0.406f }).view(1, 3, 1, 1);
                var std = torch.tensor(new float[] { 0.229f, 0.224f, 0.225f }).view(1, 3, 1, 1);
                net.ExtractBackboneFeatures((batch - mean) / std);
            }
            foreach (var bn in norms) bn.momentum = 0.1;
            net.eval();
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>Assembles the report; ratios to the Python anchor only for the ResNet-50 network.</summary>
    public static TrDiMPBenchReport Report(bool small, string video, BoxXywh box, DecodedFrames frames, int timedFrames, int warmup, bool quick,
        IReadOnlyList<TrackerBenchResult> results, IReadOnlyList<IReadOnlyDictionary<string, int>>? flags = null)
    {
        static string Key(int threads) => threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new TrDiMPBenchReport(new TrackerBenchRun(video, box, frames, timedFrames, warmup, quick, results), resNet50: !small)
        {
            Network = small ? "small" : "resnet50",
            BnCalibrationCrops = CalibrationCrops,
            Flags = flags is null ? new Dictionary<string, IReadOnlyDictionary<string, int>>()
                : results.Zip(flags).ToDictionary(p => Key(p.First.Threads), p => p.Second),
            Reference = Python,
        };
    }
}
