using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Pysot;

/// <summary>
/// One sequence of a pysot dataset json: its name, the ground truth (<c>gt_rect</c>, NaN rows kept) and, for
/// LaSOT, the <c>absent</c> flags (1 = target visible, the frames pysot keeps; null for OTB-style datasets).
/// </summary>
public sealed record PysotVideo(string Name, IReadOnlyList<BoxXywh> GroundTruth, IReadOnlyList<int>? Absent = null);
