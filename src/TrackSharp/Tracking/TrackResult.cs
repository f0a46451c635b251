using TrackSharp.Geometry;

namespace TrackSharp.Tracking;

/// <summary>
/// What a tracker reports for one frame: the box, the tracker's own confidence for it (for NanoTrack the
/// classification score of the chosen location, 0..1) and whether that confidence fell under the tracker's
/// <see cref="TrackerOptions.LostThreshold"/>.
/// </summary>
public readonly record struct TrackResult(BoxXywh Box, double Score, bool TargetLost);
