namespace TrackSharp.Detection.Evaluation;

/// <summary>
/// pycocotools' <c>COCOeval.ious[imageId, categoryId]</c>: a D x G matrix (row-major, <c>[d * G + g]</c>). Rows are the
/// (image, category) detections by descending score with a stable sort (ties keep results-file order), at most
/// <c>maxDets[-1]</c>; columns are the ground truths in annotation-file order (not the per-area order of
/// <see cref="CocoImageEvaluation.GroundTruthIds"/>).
/// </summary>
public sealed class CocoIouMatrix
{
    public required long ImageId { get; init; }
    public required long CategoryId { get; init; }
    public required long[] DetectionIds { get; init; }
    public required long[] GroundTruthIds { get; init; }
    public required bool[] GroundTruthIsCrowd { get; init; }
    public required double[] Values { get; init; }

    public int Rows => DetectionIds.Length;
    public int Columns => GroundTruthIds.Length;
    public double this[int d, int g] => Values[d * GroundTruthIds.Length + g];
}
