using System.Text.Json.Serialization;
using OpenCvSharp;
using TorchSharp;
using TrackSharp.Config;
using TrackSharp.Geometry;
using TrackSharp.Trackers.SiamFCpp;
using TrackSharp.Trackers.SiamFCpp.Training;
using TrackSharp.Tracking;

namespace TrackSharp.Cli.Benchmarks;

/// <summary>What <c>bench siamfcpp</c> reports (JSON keys as given; the shared ones in <see cref="TrackerBenchReport"/>).</summary>
public sealed record SiamFCppBenchReport : TrackerBenchReport
{
    public SiamFCppBenchReport(TrackerBenchRun run, bool publishedNetwork)
        : base(run, SiamFCppBenchmark.Python.MsPerFrame, SiamFCppBenchmark.GoalMaxRatio, publishedNetwork) { }

    [JsonPropertyName("config")] public string Config { get; init; } = "";
    [JsonPropertyName("backbone")] public string Backbone { get; init; } = "";

    /// <summary>The weights file, or null for the seeded random initialisation.</summary>
    [JsonPropertyName("weights")] public string? Weights { get; init; }

    [JsonPropertyName("reference"), JsonPropertyOrder(ReferenceSlot)] public PythonReferenceByThreads Reference { get; init; } = new();
    [JsonPropertyName("opencv_version"), JsonPropertyOrder(AfterVersions)] public string OpenCvVersion { get; init; } = "";
}

/// <summary>
/// <c>bench siamfcpp</c>: the SiamFC++ tracker of an experiment config (network from <c>model</c>, tracker from
/// <c>pipeline.SiamFCppTracker</c>) timed per Track() call at each thread count, with
/// <see cref="TrackerBenchmark.Measure"/> (frames in memory, warm-up excluded, threads restored afterwards).
/// Without weights the network is initialised randomly from a fixed seed the way videoanalyst initialises an
/// untrained model (PyTorch's default init, neck convs N(0, 0.01), head convs N(0, 1e-4), focal prior bias), so
/// the maps stay finite and the tracker does its normal work; speed does not depend on the values.
/// </summary>
public static class SiamFCppBenchmark
{
    public const string DefaultConfig = "experiments/siamfcpp_alexnet.yaml";
    public const int DefaultFrames = 100, QuickFrames = 10;
    public const int DefaultWarmup = 5, QuickWarmup = 1;
    public const int Seed = 20240611;

    /// <summary>The goal of the issue: at most this fraction of the Python time.</summary>
    public const double GoalMaxRatio = 0.8;

    /// <summary>The reference Python SiamFC++ AlexNet tracker (full width, random weights) on the project's
    /// 2-core machine: median 315 ms/frame with 1 thread, 193 ms with 2 (issue 14, golden/siamfcpp_small README).</summary>
    public static PythonReferenceByThreads Python { get; } = new()
    {
        Source = "reference Python videoanalyst SiamFCppTracker, full-width AlexNet, random weights, torch 1.13 CPU, " +
                 "on the project's 2-core machine (issue 14; golden/siamfcpp_small README)",
        MsPerFrame = new Dictionary<string, double> { ["1"] = 315, ["2"] = 193 },
    };

    /// <summary>The network and tracker settings of a resolved videoanalyst config.</summary>
    public static (SiamFCppModelConfig Model, SiamFCppTrackerConfig Tracker) ReadConfig(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"config file '{path}' does not exist", path);
        var cfg = ConfigFamily.VideoAnalyst.Load(path);
        return (SiamFCppConfigReader.ReadTrackingModel(cfg), SiamFCppConfigReader.ReadTracker(cfg));
    }

    /// <summary>A registry with one entry, <paramref name="name"/>: the SiamFC++ tracker on
    /// <paramref name="weights"/> or, when null, on seeded random weights.</summary>
    public static TrackerRegistry Registry(string name, SiamFCppModelConfig model, SiamFCppTrackerConfig tracker, string? weights)
    {
        var registry = new TrackerRegistry();
        registry.Register(name, "SiamFC++ under test", options =>
        {
            var network = weights is null ? RandomModel(model) : SiamFCppFactory.LoadModel(weights, model);
            return new SiamFCppTracker(network, tracker, options.LostThreshold, name);
        });
        return registry;
    }

    /// <summary>An evaluation-mode model with videoanalyst's initialisation of an untrained network, from
    /// <see cref="Seed"/> (the same weights for every thread count).</summary>
    public static SiamFCppModel RandomModel(SiamFCppModelConfig config)
    {
        torch.manual_seed(Seed);
        var model = new SiamFCppModel(config);
        SiamFCppInitialization.ApplyReference(model, neckStd: 0.01, headStd: 1e-4);
        model.eval();
        return model;
    }

    /// <summary>Assembles the report; ratios to the Python anchors only for the published AlexNet network.</summary>
    public static SiamFCppBenchReport Report(string configPath, SiamFCppModelConfig model, string? weights, string video,
        BoxXywh box, DecodedFrames frames, int timedFrames, int warmup, bool quick, IReadOnlyList<TrackerBenchResult> results)
    {
        bool published = model.BackboneName == SiamFCppBackbones.AlexNet && model.HeadWidth == 256
                         && model.BackboneWidths.SequenceEqual(SiamFCppAlexNet.PublishedWidths);
        return new SiamFCppBenchReport(new TrackerBenchRun(video, box, frames, timedFrames, warmup, quick, results), published)
        {
            Config = configPath,
            Backbone = model.BackboneName,
            Weights = weights,
            RandomInit = weights is null,
            Reference = Python,
            OpenCvVersion = Cv2.GetVersionString() ?? "unknown",
        };
    }
}
