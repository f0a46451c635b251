namespace TrackSharp.Detection;

/// <summary>
/// maskrcnn-benchmark <c>BoxList</c> operations on <see cref="DetectedBox"/> lists, with its TO_REMOVE = 1 convention
/// (inclusive pixel corners: width <c>x2 - x1 + 1</c>).
/// </summary>
public static class BoxListOps
{
    /// <summary><c>remove_small_boxes</c>: keeps boxes whose +1 width and height are both &gt;= <paramref name="minSize"/>, in order.</summary>
    public static List<DetectedBox> RemoveSmallBoxes(IReadOnlyList<DetectedBox> boxes, float minSize)
    {
        var r = new List<DetectedBox>(boxes.Count);
        foreach (var d in boxes)
            if (d.X2 - d.X1 + 1f >= minSize && d.Y2 - d.Y1 + 1f >= minSize)
                r.Add(d);
        return r;
    }

    /// <summary>
    /// Class-aware NMS (<c>boxlist_ml_nms</c>): within each label, boxes in descending score order (ties: earlier
    /// first) suppress later boxes of the same label whose IoU is strictly greater than <paramref name="threshold"/>.
    /// IoU uses +1 sizes computed as the reference's replacement does (float32 <c>x2 + 1</c>, then differences) and
    /// compares the float32 ratio with the double threshold. The kept boxes come back in input order.
    /// </summary>
    public static List<DetectedBox> MultiLabelNms(IReadOnlyList<DetectedBox> boxes, double threshold)
    {
        int n = boxes.Count;
        var suppressed = new bool[n];
        foreach (var group in Enumerable.Range(0, n).GroupBy(i => boxes[i].Label))
        {
            var idx = group.ToArray(); // input order
            // stable descending sort by score
            var sorted = idx.OrderByDescending(i => boxes[i].Score).ToArray();
            int m = sorted.Length;
            var x1 = new float[m]; var y1 = new float[m]; var x2 = new float[m]; var y2 = new float[m]; var area = new float[m];
            for (int a = 0; a < m; a++)
            {
                var d = boxes[sorted[a]];
                x1[a] = d.X1; y1[a] = d.Y1; x2[a] = d.X2 + 1f; y2[a] = d.Y2 + 1f;
                area[a] = (x2[a] - x1[a]) * (y2[a] - y1[a]);
            }
            var sup = new bool[m];
            for (int a = 0; a < m; a++)
            {
                if (sup[a]) continue;
                for (int b = a + 1; b < m; b++)
                {
                    if (sup[b]) continue;
                    float xx1 = Math.Max(x1[a], x1[b]), yy1 = Math.Max(y1[a], y1[b]);
                    float xx2 = Math.Min(x2[a], x2[b]), yy2 = Math.Min(y2[a], y2[b]);
                    float iw = Math.Max(0f, xx2 - xx1), ih = Math.Max(0f, yy2 - yy1);
                    float inter = iw * ih;
                    float ovr = inter / (area[a] + area[b] - inter);
                    if (ovr > threshold) sup[b] = true;
                }
            }
            for (int a = 0; a < m; a++) suppressed[sorted[a]] = sup[a];
        }
        var r = new List<DetectedBox>();
        for (int i = 0; i < n; i++) if (!suppressed[i]) r.Add(boxes[i]);
        return r;
    }

    /// <summary>
    /// The FCOS / RetinaNet detections-per-image cut: when there are more than <paramref name="maxDetections"/> boxes,
    /// the threshold is the <c>(n - max + 1)</c>-th smallest score (<c>torch.kthvalue</c>) and boxes with
    /// <c>score &gt;= threshold</c> stay (ties can keep more than <paramref name="maxDetections"/>), in input order.
    /// </summary>
    public static List<DetectedBox> KeepTopByKthValue(IReadOnlyList<DetectedBox> boxes, int maxDetections)
    {
        int n = boxes.Count;
        if (maxDetections <= 0 || n <= maxDetections) return boxes.ToList();
        var scores = boxes.Select(d => d.Score).ToArray();
        Array.Sort(scores);
        float threshold = scores[n - maxDetections];
        return boxes.Where(d => d.Score >= threshold).ToList();
    }
}
