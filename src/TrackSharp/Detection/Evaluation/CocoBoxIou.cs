using TrackSharp.Detection.Data;

namespace TrackSharp.Detection.Evaluation;

/// <summary>
/// The IoU of pycocotools' <c>maskApi.c bbIou</c> on <c>[x, y, w, h]</c> boxes, in double with its exact operation
/// order: right edges are <c>w + x</c> (no +1), areas are <c>w * h</c> of the boxes (never the annotation's
/// <c>area</c>), touching boxes give 0, and for a crowd ground truth the union is the detection's own area. A port
/// that computes areas as <c>(x2 - x1) * (y2 - y1)</c> or works in float32 flips matches at the thresholds.
/// </summary>
public static class CocoBoxIou
{
    public static double Compute(in CocoBox detection, in CocoBox groundTruth, bool groundTruthIsCrowd)
    {
        double iw = Math.Min(detection.W + detection.X, groundTruth.W + groundTruth.X) - Math.Max(detection.X, groundTruth.X);
        if (iw <= 0) return 0.0;
        double ih = Math.Min(detection.H + detection.Y, groundTruth.H + groundTruth.Y) - Math.Max(detection.Y, groundTruth.Y);
        if (ih <= 0) return 0.0;
        double inter = iw * ih;
        double detectionArea = detection.W * detection.H;
        double union = groundTruthIsCrowd ? detectionArea : detectionArea + groundTruth.W * groundTruth.H - inter;
        return inter / union;
    }
}
