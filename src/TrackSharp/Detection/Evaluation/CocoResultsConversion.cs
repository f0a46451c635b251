using TrackSharp.Detection.Data;

namespace TrackSharp.Detection.Evaluation;

/// <summary>
/// maskrcnn-benchmark's <c>prepare_for_coco_detection</c>: detections of the network input (inclusive xyxy, on the
/// resized image before padding) are scaled back to the original image with <see cref="DetectionTarget.Resize"/>'s
/// float32 rule and written as COCO <c>[x, y, w, h]</c> with the legacy <c>w = x2 - x1 + 1</c> (float32), contiguous
/// labels mapped back to COCO category ids. The +1 belongs to producing the results file; the evaluation never adds it.
/// </summary>
public static class CocoResultsConversion
{
    /// <param name="detections">Detections on a <paramref name="inputWidth"/> x <paramref name="inputHeight"/> image.</param>
    /// <param name="inputWidth">Width of the network input image (resized, before padding).</param>
    /// <param name="inputHeight">Height of the network input image.</param>
    /// <param name="originalWidth">Width of the original image the results refer to.</param>
    /// <param name="originalHeight">Height of the original image.</param>
    /// <param name="imageId">COCO id of the image.</param>
    /// <param name="categoryOfLabel">Contiguous label to COCO category id (e.g. <see cref="CocoDetectionDataset.CategoryIdOf"/>).</param>
    /// <param name="firstId">Id given to the first result (ids are file positions once written; see <see cref="CocoResultsFile"/>).</param>
    public static List<CocoDetectionResult> ToResults(IReadOnlyList<DetectedBox> detections, int inputWidth, int inputHeight,
        int originalWidth, int originalHeight, long imageId, Func<long, long> categoryOfLabel, long firstId = 1)
    {
        var boxes = new float[4 * detections.Count];
        for (int i = 0; i < detections.Count; i++)
        {
            boxes[4 * i] = detections[i].X1; boxes[4 * i + 1] = detections[i].Y1;
            boxes[4 * i + 2] = detections[i].X2; boxes[4 * i + 3] = detections[i].Y2;
        }
        var scaled = new DetectionTarget(boxes, new long[detections.Count], null, inputWidth, inputHeight)
            .Resize(originalWidth, originalHeight).Boxes;
        var results = new List<CocoDetectionResult>(detections.Count);
        for (int i = 0; i < detections.Count; i++)
        {
            float x1 = scaled[4 * i], y1 = scaled[4 * i + 1], x2 = scaled[4 * i + 2], y2 = scaled[4 * i + 3];
            var box = new CocoBox(x1, y1, (x2 - x1) + 1f, (y2 - y1) + 1f);
            results.Add(new CocoDetectionResult(firstId + i, imageId, categoryOfLabel(detections[i].Label), box, detections[i].Score));
        }
        return results;
    }
}
