using System.Text.Json.Serialization;
using OpenCvSharp;
using TorchSharp;
using TrackSharp.Config;
using TrackSharp.Geometry;
using TrackSharp.Trackers.SiamBAN;
using TrackSharp.Tracking;

namespace TrackSharp.Cli.Benchmarks;

/// <summary>What <c>bench siamban</c> reports (JSON keys as given; the shared ones in <see cref="TrackerBenchReport"/>).</summary>
public sealed record SiamBanBenchReport : TrackerBenchReport
{
    public SiamBanBenchReport(TrackerBenchRun run, bool publishedNetwork)
        : base(run, SiamBanBenchmark.PythonMsPerFrame, SiamBanBenchmark.GoalMaxRatio, publishedNetwork) { }

    [JsonPropertyName("config")] public string Config { get; init; } = "";
    [JsonPropertyName("meta_arc")] public string MetaArc { get; init; } = "";

    /// <summary>The weights file, or null for the seeded random initialisation.</summary>
    [JsonPropertyName("weights")] public string? Weights { get; init; }

    /// <summary>The Python tracker's median ms per frame, keyed by thread count.</summary>
    [JsonPropertyName("python_ms_per_frame"), JsonPropertyOrder(ReferenceSlot)] public IReadOnlyDictionary<string, double> PythonMsPerFrame { get; init; } =
        new Dictionary<string, double>();

    [JsonPropertyName("python_source"), JsonPropertyOrder(ReferenceSlot)] public string PythonSource { get; init; } = "";
    [JsonPropertyName("opencv_version"), JsonPropertyOrder(AfterVersions)] public string OpenCvVersion { get; init; } = "";
}

/// <summary>
/// <c>bench siamban</c>: the SiamBAN tracker of a pysot/siamban config timed per Track() call at each thread count with
/// <see cref="TrackerBenchmark.Measure"/> (frames in memory, warm-up excluded, threads restored afterwards). Without
/// weights the network is the model's own seeded random initialisation (speed does not depend on the values).
/// </summary>
public static class SiamBanBenchmark
{
    public const string DefaultConfig = "experiments/siamban_r50_l234.yaml";
    public const int DefaultFrames = 30, QuickFrames = 5;
    public const int DefaultWarmup = 3, QuickWarmup = 1;
    public const int Seed = 20240601;

    /// <summary>The goal of issue 12: at most this fraction of the Python time.</summary>
    public const double GoalMaxRatio = 0.8;

    /// <summary>The reference Python SiamBANTracker with siamban_r50_l234 and random weights on the project's machine
    /// (issue 12): median 1551 ms/frame with 1 thread, 1040 ms with 2.</summary>
    public static IReadOnlyDictionary<string, double> PythonMsPerFrame { get; } = new Dictionary<string, double> { ["1"] = 1551, ["2"] = 1040 };

    public const string PythonSource = "reference Python hqucv/siamban SiamBANTracker, siamban_r50_l234, random weights, CPU, " +
                                       "on the project's 2-core machine (issue 12)";

    /// <summary>The network and tracker settings of a siamban config.</summary>
    public static (SiamBanModelOptions Model, SiamBanTrackerConfig Tracker, string MetaArc) ReadConfig(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"config file '{path}' does not exist", path);
        var cfg = ConfigLoader.Load(ConfigFamily.SiamBan, path);
        return (SiamBanModelOptions.FromConfig(cfg), SiamBanTrackerConfig.FromConfig(cfg), cfg.Get("META_ARC", ""));
    }

    /// <summary>A registry with one entry, <paramref name="name"/>: SiamBAN on <paramref name="weights"/> or on seeded random weights.</summary>
    public static TrackerRegistry Registry(string name, SiamBanModelOptions model, SiamBanTrackerConfig tracker, string? weights,
        Mat? calibrationFrame = null, BoxXywh? calibrationBox = null)
    {
        var registry = new TrackerRegistry();
        registry.Register(name, "SiamBAN under test", options =>
        {
            SiamBanModel network;
            if (weights is null)
            {
                network = RandomModel(model, calibrationFrame, calibrationBox);
            }
            else network = SiamBanFactory.LoadModel(weights, model);
            return new SiamBanTracker(network, tracker, options.LostThreshold, name);
        });
        return registry;
    }

    /// <summary>
    /// A seeded random network made numerically tame the way the golden small model was: BatchNorm running statistics
    /// taken from the template and search crops of <paramref name="frame"/> around <paramref name="box"/> (random
    /// crops without a frame), and the loc outputs centred near 30 px. Raw random weights make
    /// <c>exp(loc)</c> overflow, and the box becomes NaN, which the Python tracker's builtin min/max happen to turn into
    /// 0 / 10 px while a port's clamps do not; speed does not depend on the values.
    /// </summary>
    public static SiamBanModel RandomModel(SiamBanModelOptions options, Mat? frame = null, BoxXywh? box = null)
    {
        torch.manual_seed(Seed);
        var model = new SiamBanModel(options);
        try
        {
            var norms = model.modules().OfType<TorchSharp.Modules.BatchNorm2d>().ToList();
            foreach (var bn in norms) bn.momentum = 1.0;
            model.train();
            using (torch.no_grad())
            using (var scope = torch.NewDisposeScope())
            {
                torch.Tensor z, x;
                if (frame is not null && box is { } b)
                {
                    var mean = ContextCrop.ChannelMean(frame);
                    double cx = b.X + (b.Width - 1) / 2, cy = b.Y + (b.Height - 1) / 2;
                    long side = (long)Math.Round(ContextCrop.ContextSide(b.Width, b.Height, 0.5));
                    using var zc = new Mat();
                    using var xc = new Mat();
                    ContextCrop.Extract(frame, cx, cy, side, 127, mean, zc);
                    ContextCrop.Extract(frame, cx, cy, (long)Math.Round(side * 255.0 / 127), 255, mean, xc);
                    z = Imaging.TensorImage.ToTensor(zc);
                    x = Imaging.TensorImage.ToTensor(xc);
                    z = torch.cat([z, z.flip(3)]);
                    x = torch.cat([x, x.flip(3)]);
                }
                else
                {
                    z = torch.rand(2, 3, 127, 127) * 255;
                    x = torch.rand(2, 3, 255, 255) * 255;
                }
                model.forward(z, x);
            }
            foreach (var bn in norms) bn.momentum = 0.1;
            // Each level's last loc conv: weights scaled down and bias log(30), so exp(loc) is ~30 px instead of overflowing.
            using (torch.no_grad())
                foreach (var (name, p) in model.named_parameters())
                {
                    if (!name.StartsWith("head.box", StringComparison.Ordinal) || !name.Contains(".loc.head.3.", StringComparison.Ordinal)) continue;
                    if (name.EndsWith(".weight", StringComparison.Ordinal)) p.mul_(0.01);
                    else p.fill_(Math.Log(30));
                }
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Assembles the report; ratios to the Python anchors only for the published r50_l234 network.</summary>
    public static SiamBanBenchReport Report(string configPath, SiamBanModelOptions model, string metaArc, string? weights,
        string video, BoxXywh box, DecodedFrames frames, int timedFrames, int warmup, bool quick, IReadOnlyList<TrackerBenchResult> results)
    {
        var published = SiamBanModelOptions.R50L234;
        bool isPublished = model.BackboneType is "resnet50" or "res50" && model.BackboneWidth == published.BackboneWidth
                           && model.AdjustOutChannels is { } o && o.SequenceEqual(published.AdjustOutChannels!)
                           && model.UsedLayers.SequenceEqual(published.UsedLayers);
        return new SiamBanBenchReport(new TrackerBenchRun(video, box, frames, timedFrames, warmup, quick, results), isPublished)
        {
            Config = configPath,
            MetaArc = metaArc,
            Weights = weights,
            RandomInit = weights is null,
            PythonMsPerFrame = PythonMsPerFrame,
            PythonSource = PythonSource,
            OpenCvVersion = Cv2.GetVersionString() ?? "unknown",
        };
    }
}
