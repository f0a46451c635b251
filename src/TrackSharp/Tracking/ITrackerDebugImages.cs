using OpenCvSharp;

namespace TrackSharp.Tracking;

/// <summary>
/// A tracker that can show what it looked at in its last call (<c>track --debug DIR</c>): named BGR images such as the
/// template crop, the search crop and response maps. The caller owns (and disposes) the returned images.
/// </summary>
public interface ITrackerDebugImages
{
    /// <summary>The images of the last Initialize/Track call, by a short file-name-safe name (e.g. "search").</summary>
    IReadOnlyList<KeyValuePair<string, Mat>> DebugImages();
}
