using TrackSharp.Detection.Data;

namespace TrackSharp.Detection.Evaluation;

/// <summary>
/// One detection as pycocotools' <c>COCO.loadRes</c> leaves it: <see cref="Id"/> is the 1-based position in the
/// results file (entries later dropped for an unknown category still use up an id), <see cref="Area"/> is
/// <c>w * h</c> of the box whatever the file said, and the detection is never a crowd.
/// </summary>
public readonly record struct CocoDetectionResult(long Id, long ImageId, long CategoryId, CocoBox Box, double Score)
{
    /// <summary><c>bbox[2] * bbox[3]</c>, as <c>loadRes</c> overwrites it.</summary>
    public double Area => Box.W * Box.H;
}
