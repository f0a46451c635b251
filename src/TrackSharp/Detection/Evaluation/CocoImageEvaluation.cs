namespace TrackSharp.Detection.Evaluation;

/// <summary>
/// One entry of pycocotools' <c>COCOeval.evalImgs</c>: the greedy matching of one image's detections of one category
/// to its ground truths, for one area range, at every IoU threshold. Per-threshold arrays are row-major
/// <c>[t * count + i]</c>. Matches hold ids, 0 meaning "unmatched" (so a ground truth with annotation id 0 is never
/// counted as matched: pycocotools' rule, kept on purpose).
/// </summary>
public sealed class CocoImageEvaluation
{
    public required long ImageId { get; init; }
    public required long CategoryId { get; init; }
    public required CocoAreaRange AreaRange { get; init; }
    public required int MaxDetections { get; init; }

    /// <summary>Result ids by descending score (stable), at most <see cref="MaxDetections"/>.</summary>
    public required long[] DetectionIds { get; init; }

    /// <summary>Scores in <see cref="DetectionIds"/> order.</summary>
    public required double[] DetectionScores { get; init; }

    /// <summary>Ground-truth ids for this area range: regular ones first, then the ignored ones (stable).</summary>
    public required long[] GroundTruthIds { get; init; }

    /// <summary>Per ground truth: crowd, or its <c>area</c> outside the range.</summary>
    public required bool[] GroundTruthIgnore { get; init; }

    /// <summary>T x D: id of the matched ground truth, 0 when unmatched.</summary>
    public required long[] DetectionMatches { get; init; }

    /// <summary>T x G: id of the matching detection (for a crowd, the last one), 0 when unmatched.</summary>
    public required long[] GroundTruthMatches { get; init; }

    /// <summary>T x D: matched to an ignored ground truth, or unmatched with its own area outside the range.</summary>
    public required bool[] DetectionIgnore { get; init; }

    public int DetectionCount => DetectionIds.Length;
    public int GroundTruthCount => GroundTruthIds.Length;
}
