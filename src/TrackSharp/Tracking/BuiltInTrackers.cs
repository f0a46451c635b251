namespace TrackSharp.Tracking;

/// <summary>The trackers TrackSharp ships, registered by name.</summary>
internal static class BuiltInTrackers
{
    public static TrackerRegistry CreateRegistry()
    {
        var registry = new TrackerRegistry();
        return registry;
    }
}
