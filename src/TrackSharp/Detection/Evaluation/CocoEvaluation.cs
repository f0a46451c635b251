namespace TrackSharp.Detection.Evaluation;

/// <summary>
/// Everything pycocotools' COCOeval produces for bbox: the per-image matchings (<c>evalImgs</c>), the IoU matrices
/// (<c>ious</c>), the accumulated <c>precision</c> / <c>recall</c> / <c>scores</c> arrays and the 12-number summary.
/// Arrays are flat and row-major in pycocotools' axis order: precision and scores (T, R, K, A, M), recall (T, K, A, M),
/// with T IoU thresholds, R recall thresholds, K categories (ascending id), A area ranges, M max-detection settings.
/// </summary>
public sealed class CocoEvaluation
{
    internal CocoEvaluation(CocoEvalParams parameters, long[] imageIds, long[] categoryIds,
        CocoImageEvaluation?[] evalImages, Dictionary<(long, long), CocoIouMatrix> ious,
        double[] precision, double[] recall, double[] scores)
    {
        Parameters = parameters;
        ImageIds = imageIds;
        CategoryIds = categoryIds;
        EvalImages = evalImages;
        Ious = ious;
        Precision = precision;
        Recall = recall;
        Scores = scores;
        Summary = CocoSummary.From(this);
    }

    public CocoEvalParams Parameters { get; }

    /// <summary>Evaluated image ids, ascending (every ground-truth image).</summary>
    public IReadOnlyList<long> ImageIds { get; }

    /// <summary>Category ids, ascending: the K axis.</summary>
    public IReadOnlyList<long> CategoryIds { get; }

    /// <summary><c>evalImgs</c>: K * A * I entries, entry (k, a, i) at <c>(k * A + a) * I + i</c>; null where the
    /// (image, category) has neither ground truth nor detections.</summary>
    public IReadOnlyList<CocoImageEvaluation?> EvalImages { get; }

    /// <summary>The IoU matrices of the (image, category) pairs with at least one ground truth and one detection.</summary>
    public IReadOnlyDictionary<(long ImageId, long CategoryId), CocoIouMatrix> Ious { get; }

    public double[] Precision { get; }
    public double[] Recall { get; }
    public double[] Scores { get; }

    /// <summary>The 12 stats and the printed lines of <c>summarize()</c>.</summary>
    public CocoSummary Summary { get; }

    public int T => Parameters.IouThresholds.Count;
    public int R => Parameters.RecallThresholds.Count;
    public int K => CategoryIds.Count;
    public int A => Parameters.AreaRanges.Count;
    public int M => Parameters.MaxDetections.Count;

    public double PrecisionAt(int t, int r, int k, int a, int m) => Precision[(((t * R + r) * K + k) * A + a) * M + m];
    public double ScoreAt(int t, int r, int k, int a, int m) => Scores[(((t * R + r) * K + k) * A + a) * M + m];
    public double RecallAt(int t, int k, int a, int m) => Recall[((t * K + k) * A + a) * M + m];

    /// <summary>The evalImgs entry of category index k, area index a, image index i (null when empty).</summary>
    public CocoImageEvaluation? EvalImage(int k, int a, int i) => EvalImages[(k * A + a) * ImageIds.Count + i];
}
