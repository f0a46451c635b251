using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Got10k;

/// <summary>A one-pass-evaluation sequence (OTB, UAV123, LaSOT): its name and ground-truth boxes (NaN rows kept).</summary>
public sealed record OpeSequence(string Name, IReadOnlyList<BoxXywh> GroundTruth);
