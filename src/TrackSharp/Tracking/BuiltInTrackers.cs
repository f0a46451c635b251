using TrackSharp.Tracking.Baselines;

namespace TrackSharp.Tracking;

/// <summary>The trackers TrackSharp ships, registered by name.</summary>
internal static class BuiltInTrackers
{
    public static TrackerRegistry CreateRegistry()
    {
        var registry = new TrackerRegistry();

        // --- OpenCV baselines (Tracking/Baselines/OpenCvTracker.cs) ---
        registry.Register("csrt", "OpenCV CSRT: correlation filter with channel/spatial reliability (baseline, score 1/0)",
            options => new OpenCvTracker(OpenCvTrackerKind.Csrt, options));
        registry.Register("kcf", "OpenCV KCF: kernelized correlation filter (baseline, fast, score 1/0)",
            options => new OpenCvTracker(OpenCvTrackerKind.Kcf, options));
        registry.Register("mil", "OpenCV MIL: multiple-instance learning tracker (baseline, score 1/0)",
            options => new OpenCvTracker(OpenCvTrackerKind.Mil, options));
        // --- end OpenCV baselines ---

        return registry;
    }
}
