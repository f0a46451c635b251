using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Got10k;

/// <summary>
/// One GOT-10k (train/val layout) sequence as the toolkit's <c>GOT10k</c> dataset returns it with
/// <c>return_meta=True</c>: ground truth, per-frame <c>cover</c> (0 = target fully occluded or absent, 1..8 visible
/// fraction) and <c>absence</c> labels, and the image size from <c>meta_info.ini</c>'s <c>resolution: (W, H)</c>.
/// </summary>
public sealed record Got10kValSequence(
    string Name,
    IReadOnlyList<BoxXywh> GroundTruth,
    IReadOnlyList<int> Cover,
    IReadOnlyList<int> Absence,
    int ImageWidth,
    int ImageHeight);
