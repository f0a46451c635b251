namespace TrackSharp.Trackers.NanoTrack;

/// <summary>The three published NanoTrack generations; each has its own head graph and weights.</summary>
public enum NanoTrackVersion { V1 = 1, V2 = 2, V3 = 3 }

public static class NanoTrackVersions
{
    /// <summary>Parses "v3", "V3" or "3".</summary>
    /// <exception cref="ArgumentException">Names the value and the accepted ones.</exception>
    public static NanoTrackVersion Parse(string? text) => text?.Trim().TrimStart('v', 'V') switch
    {
        null or "" or "3" => NanoTrackVersion.V3,
        "1" => NanoTrackVersion.V1,
        "2" => NanoTrackVersion.V2,
        _ => throw new ArgumentException($"unknown NanoTrack version '{text}'; use v1, v2 or v3"),
    };

    public static string Name(this NanoTrackVersion version) => "v" + (int)version;
}
