using TrackSharp.Trackers.NanoTrack;
using TrackSharp.Trackers.OSTrack;
using TrackSharp.Trackers.SiamBAN;
using TrackSharp.Trackers.SiamFCpp;
using TrackSharp.Trackers.TrDiMP;
using TrackSharp.Tracking.Baselines;

namespace TrackSharp.Tracking;

/// <summary>The trackers TrackSharp ships, registered by name.</summary>
internal static class BuiltInTrackers
{
    public static TrackerRegistry CreateRegistry()
    {
        var registry = new TrackerRegistry();

        // --- NanoTrack (Trackers/NanoTrack), official weights from models/nanotrack ---
        registry.Register("nanotrack", "NanoTrack on TorchSharp, official weights; --version v1|v2|v3 (default v3)",
            options => NanoTrackFactory.Create(options));
        foreach (var version in Enum.GetValues<NanoTrackVersion>())
            registry.Register($"nanotrack-{version.Name()}", $"NanoTrack {version.Name()} on TorchSharp, official weights",
                options => NanoTrackFactory.Create(options, version));
        registry.Register("nanotrack-onnx", "NanoTrack v2 on ONNX Runtime, the official ONNX export (OpenCV TrackerNano's model)",
            options => NanoTrackFactory.CreateOnnx(options));

        // --- SiamFC++ (Trackers/SiamFCpp), no shipped weights: --weights FILE is required ---
        registry.Register("siamfcpp", "SiamFC++ (videoanalyst) on TorchSharp; needs --weights FILE; --version alexnet|small|googlenet|shufflenetv2x1_0|shufflenetv2x0_5",
            options => SiamFCppTracker.Create(options));
        // --- end SiamFC++ ---

        // --- SiamBAN (Trackers/SiamBAN); no weights ship: --weights FILE, config.yaml beside it if any ---
        registry.Register("siamban", "SiamBAN (pysot layout) on TorchSharp; needs --weights FILE (a config.yaml beside it sets network and TRACK values, else siamban_r50_l234)",
            options => SiamBanTrackerFactory.Create(options));
        // --- end SiamBAN ---

        // --- OSTrack (Trackers/OSTrack); no weights ship: --weights FILE, config.yaml beside it if any ---
        registry.Register("ostrack", "OSTrack (one-stream ViT with candidate elimination) on TorchSharp; needs --weights FILE (a config.yaml beside it sets network and TEST crops, else vitb_256_mae_ce_32x4_ep300)",
            options => OSTrackTrackerFactory.Create(options));
        // --- end OSTrack ---

        // --- TrDiMP / TrSiam (Trackers/TrDiMP); no weights ship: --weights FILE (pytracking checkpoint) ---
        registry.Register("trdimp", "TrDiMP (transformer + DiMP online filter + IoUNet, pytracking) on TorchSharp; needs --weights FILE",
            options => TrDiMPTracker.Create(options, trSiam: false));
        registry.Register("trsiam", "TrSiam (TrDiMP network without filter optimisation) on TorchSharp; needs --weights FILE",
            options => TrDiMPTracker.Create(options, trSiam: true));
        // --- end TrDiMP ---

        // --- OpenCV baselines (Tracking/Baselines/OpenCvTracker.cs) ---
        registry.Register("csrt", "OpenCV CSRT: correlation filter with channel/spatial reliability (baseline, score 1/0)",
            options => new OpenCvTracker(OpenCvTrackerKind.Csrt, options));
        registry.Register("kcf", "OpenCV KCF: kernelized correlation filter (baseline, fast, score 1/0)",
            options => new OpenCvTracker(OpenCvTrackerKind.Kcf, options));
        registry.Register("mil", "OpenCV MIL: multiple-instance learning tracker (baseline, score 1/0)",
            options => new OpenCvTracker(OpenCvTrackerKind.Mil, options));
        // --- end OpenCV baselines ---

        // --- trivial baseline (Tracking/Baselines/FirstBoxTracker.cs): the first box on every frame ---
        registry.Register("firstbox", "Repeats the initial box on every frame (trivial baseline: the score of not tracking)",
            _ => new FirstBoxTracker());
        registry.MarkDeterministic("firstbox");
        // --- end trivial baseline ---

        // --- deterministic trackers (one GOT-10k repetition instead of three); the OpenCV baselines keep the default ---
        foreach (var (name, _) in registry.Entries.ToList())
            if (name.StartsWith("nanotrack", StringComparison.OrdinalIgnoreCase) || name is "siamfcpp" or "siamban" or "ostrack")
                registry.MarkDeterministic(name);
        // --- end deterministic trackers ---

        return registry;
    }
}
