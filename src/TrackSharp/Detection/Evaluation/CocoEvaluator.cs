using TrackSharp.Detection.Data;

namespace TrackSharp.Detection.Evaluation;

/// <summary>
/// COCO bbox evaluation equal to pycocotools' <c>COCOeval(gt, dt, 'bbox')</c> followed by <c>evaluate()</c> and
/// <c>accumulate()</c>, to the last bit: the same grouping per (image, category), IoU (<see cref="CocoBoxIou"/>),
/// greedy matching with the crowd, ignore and "break" rules, stable score sorts, the 101-point interpolated precision
/// with its <c>np.spacing(1)</c> denominator and <c>searchsorted(side='left')</c> lookup. Only the ground truth's images
/// and categories are evaluated (sorted by id); detections of other categories are dropped silently, as there.
/// </summary>
public static class CocoEvaluator
{
    private const double Epsilon = 2.220446049250313e-16; // np.spacing(1)

    public static CocoEvaluation Evaluate(CocoInstances groundTruth, IReadOnlyList<CocoDetectionResult> detections,
        CocoEvalParams? parameters = null)
    {
        var p = parameters ?? CocoEvalParams.Default;
        long[] imageIds = groundTruth.Images.Select(im => im.Id).Distinct().Order().ToArray();
        long[] categoryIds = groundTruth.Categories.Select(c => c.Id).Distinct().Order().ToArray();
        var categorySet = new HashSet<long>(categoryIds);

        var gtGroups = GroupGroundTruth(groundTruth, imageIds, categorySet);
        var dtGroups = new Dictionary<(long, long), List<CocoDetectionResult>>();
        foreach (var d in detections.OrderBy(d => d.Id))
        {
            if (!categorySet.Contains(d.CategoryId)) continue;
            var key = (d.ImageId, d.CategoryId);
            if (!dtGroups.TryGetValue(key, out var list)) dtGroups[key] = list = [];
            list.Add(d);
        }
        var imageSet = new HashSet<long>(imageIds);
        foreach (var key in dtGroups.Keys)
            if (!imageSet.Contains(key.Item1))
                throw new ArgumentException($"detection on image {key.Item1}, which is not an image of the ground truth '{groundTruth.Source}'");

        int maxDet = p.MaxDetections[^1];
        int A = p.AreaRanges.Count, I = imageIds.Length, K = categoryIds.Length;
        var ious = new Dictionary<(long, long), CocoIouMatrix>();
        var evalImgs = new CocoImageEvaluation?[K * A * I];
        var iousPerCategory = new List<CocoIouMatrix>[K];
        // Categories are independent: each writes only its own evalImgs slots, so the result does not depend on
        // the thread count.
        Parallel.For(0, K, k =>
        {
            var local = iousPerCategory[k] = [];
            for (int i = 0; i < I; i++)
            {
                var key = (imageIds[i], categoryIds[k]);
                var gts = gtGroups.TryGetValue(key, out var g) ? g : [];
                var dts = dtGroups.TryGetValue(key, out var d) ? d : [];
                if (gts.Count == 0 && dts.Count == 0) continue;
                var sorted = new SortedDetections(SortByScore(dts, maxDet));
                var iou = ComputeIou(key.Item1, key.Item2, gts, sorted.Detections);
                if (iou is not null) local.Add(iou);
                for (int a = 0; a < A; a++)
                    evalImgs[(k * A + a) * I + i] = EvaluateImage(key.Item1, key.Item2, gts, sorted, iou, p.AreaRanges[a], maxDet, p.IouThresholds);
            }
        });
        foreach (var list in iousPerCategory)
            foreach (var m in list) ious[(m.ImageId, m.CategoryId)] = m;
        var (precision, recall, scores) = Accumulate(evalImgs, p, K, I);
        return new CocoEvaluation(p, imageIds, categoryIds, evalImgs, ious, precision, recall, scores);
    }

    /// <summary>
    /// Ground truths per (image, category) as <c>_prepare</c> gets them: images in ascending id order, each image's
    /// annotations in file order, only known categories; <c>loadAnns</c> looks annotations up by id, so with duplicate
    /// ids the last annotation of that id stands in for each of them (pycocotools' behaviour).
    /// </summary>
    private static Dictionary<(long, long), List<CocoAnnotation>> GroupGroundTruth(CocoInstances gt, long[] imageIds, HashSet<long> categories)
    {
        var byImage = new Dictionary<long, List<CocoAnnotation>>();
        var byId = new Dictionary<long, CocoAnnotation>();
        foreach (var a in gt.Annotations)
        {
            if (!byImage.TryGetValue(a.ImageId, out var list)) byImage[a.ImageId] = list = [];
            list.Add(a);
            byId[a.Id] = a;
        }
        var groups = new Dictionary<(long, long), List<CocoAnnotation>>();
        foreach (long imageId in imageIds)
        {
            if (!byImage.TryGetValue(imageId, out var anns)) continue;
            foreach (var original in anns)
            {
                if (!categories.Contains(original.CategoryId)) continue;
                var a = byId[original.Id];
                if (a.Area is null)
                    throw new DetectionDataException(gt.Source, $"annotation id {a.Id} (image {a.ImageId}): missing key 'area', which the evaluation's area ranges need");
                var key = (a.ImageId, a.CategoryId);
                if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
                list.Add(a);
            }
        }
        return groups;
    }

    /// <summary>One (image, category)'s detections after the score sort, with the arrays every area range shares.</summary>
    private sealed class SortedDetections(CocoDetectionResult[] detections)
    {
        public CocoDetectionResult[] Detections { get; } = detections;
        public long[] Ids { get; } = Array.ConvertAll(detections, x => x.Id);
        public double[] Scores { get; } = Array.ConvertAll(detections, x => x.Score);
        public double[] Areas { get; } = Array.ConvertAll(detections, x => x.Area);
    }

    /// <summary>Descending score, ties in file order (numpy's stable mergesort on <c>-score</c>), first <paramref name="max"/>.</summary>
    private static CocoDetectionResult[] SortByScore(List<CocoDetectionResult> dts, int max)
    {
        var order = new int[dts.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (x, y) =>
        {
            int c = (-dts[x].Score).CompareTo(-dts[y].Score);
            return c != 0 ? c : x.CompareTo(y);
        });
        int n = Math.Min(max, order.Length);
        var r = new CocoDetectionResult[n];
        for (int i = 0; i < n; i++) r[i] = dts[order[i]];
        return r;
    }

    private static CocoIouMatrix? ComputeIou(long imageId, long categoryId, List<CocoAnnotation> gts, CocoDetectionResult[] dts)
    {
        if (gts.Count == 0 || dts.Length == 0) return null;
        int G = gts.Count, D = dts.Length;
        var values = new double[D * G];
        for (int d = 0; d < D; d++)
            for (int g = 0; g < G; g++)
                values[d * G + g] = CocoBoxIou.Compute(dts[d].Box, gts[g].Box, gts[g].IsCrowd);
        return new CocoIouMatrix
        {
            ImageId = imageId, CategoryId = categoryId,
            DetectionIds = dts.Select(x => x.Id).ToArray(),
            GroundTruthIds = gts.Select(x => x.Id).ToArray(),
            GroundTruthIsCrowd = gts.Select(x => x.IsCrowd).ToArray(),
            Values = values,
        };
    }

    /// <summary><c>evaluateImg</c> for one (image, category, area range).</summary>
    private static CocoImageEvaluation EvaluateImage(long imageId, long categoryId, List<CocoAnnotation> gtsInFileOrder,
        SortedDetections dts, CocoIouMatrix? iou, CocoAreaRange range, int maxDet, IReadOnlyList<double> thresholds)
    {
        int G = gtsInFileOrder.Count, D = dts.Ids.Length, T = thresholds.Count;
        // Regular ground truths first, ignored ones last, each in file order (stable sort on the ignore flag).
        var gtOrder = new int[G];
        var ignore = new bool[G];
        int n = 0;
        for (int g = 0; g < G; g++) if (!IsIgnored(gtsInFileOrder[g], range)) gtOrder[n++] = g;
        int regular = n;
        for (int g = 0; g < G; g++) if (IsIgnored(gtsInFileOrder[g], range)) gtOrder[n++] = g;
        for (int g = regular; g < G; g++) ignore[g] = true;
        var gtIds = new long[G];
        var crowd = new bool[G];
        for (int g = 0; g < G; g++) { gtIds[g] = gtsInFileOrder[gtOrder[g]].Id; crowd[g] = gtsInFileOrder[gtOrder[g]].IsCrowd; }

        var gtm = new long[T * G];
        var dtm = new long[T * D];
        var dtIgnore = new bool[T * D];
        if (iou is not null)
        {
            var m = iou.Values; // columns in file order: read through gtOrder (the per-area order)
            for (int t = 0; t < T; t++)
            {
                double cap = Math.Min(thresholds[t], 1 - 1e-10);
                for (int d = 0; d < D; d++)
                {
                    double best = cap;
                    int match = -1;
                    for (int g = 0; g < G; g++)
                    {
                        if (gtm[t * G + g] != 0 && !crowd[g]) continue;          // regular ground truth already taken
                        if (match > -1 && !ignore[match] && ignore[g]) break;   // holds a regular match: stop at ignored ones
                        double v = m[d * G + gtOrder[g]];
                        if (v < best) continue;                                 // >= matches; ties go to the later one
                        best = v;
                        match = g;
                    }
                    if (match == -1) continue;
                    dtIgnore[t * D + d] = ignore[match];
                    dtm[t * D + d] = gtIds[match];
                    gtm[t * G + match] = dts.Ids[d];
                }
            }
        }
        for (int d = 0; d < D; d++)
        {
            if (!range.Excludes(dts.Areas[d])) continue;
            for (int t = 0; t < T; t++)
                if (dtm[t * D + d] == 0) dtIgnore[t * D + d] = true;
        }
        return new CocoImageEvaluation
        {
            ImageId = imageId, CategoryId = categoryId, AreaRange = range, MaxDetections = maxDet,
            DetectionIds = dts.Ids,
            DetectionScores = dts.Scores,
            GroundTruthIds = gtIds, GroundTruthIgnore = ignore,
            DetectionMatches = dtm, GroundTruthMatches = gtm, DetectionIgnore = dtIgnore,
        };
    }

    /// <summary>pycocotools sets <c>ignore = iscrowd</c> (any <c>ignore</c> key is overwritten), then adds the area range.</summary>
    private static bool IsIgnored(CocoAnnotation g, CocoAreaRange range) => g.IsCrowd || range.Excludes(g.Area!.Value);

    /// <summary>
    /// <c>accumulate()</c>: precision (T, R, K, A, M), recall (T, K, A, M) and scores (T, R, K, A, M), flat row-major,
    /// -1 where undefined (no entry for the category and area, or no non-ignored ground truth).
    /// </summary>
    private static (double[] Precision, double[] Recall, double[] Scores) Accumulate(CocoImageEvaluation?[] evalImgs,
        CocoEvalParams p, int K, int I)
    {
        int T = p.IouThresholds.Count, R = p.RecallThresholds.Count, A = p.AreaRanges.Count, M = p.MaxDetections.Count;
        var precision = new double[T * R * K * A * M];
        var recall = new double[T * K * A * M];
        var scores = new double[T * R * K * A * M];
        Array.Fill(precision, -1.0);
        Array.Fill(recall, -1.0);
        Array.Fill(scores, -1.0);
        var recThrs = p.RecallThresholds.ToArray();
        Parallel.For(0, K, k =>
        {
            var entries = new List<CocoImageEvaluation>(I);
            for (int a = 0; a < A; a++)
            {
                entries.Clear();
                for (int i = 0; i < I; i++)
                    if (evalImgs[(k * A + a) * I + i] is { } e) entries.Add(e);
                if (entries.Count == 0) continue;
                int npig = 0;
                foreach (var e in entries)
                    foreach (bool ig in e.GroundTruthIgnore) if (!ig) npig++;
                if (npig == 0) continue;
                for (int mi = 0; mi < M; mi++)
                    AccumulateOne(entries, p.MaxDetections[mi], npig, recThrs, T, R,
                        (t, r) => (((t * R + r) * K + k) * A + a) * M + mi, t => ((t * K + k) * A + a) * M + mi,
                        precision, recall, scores);
            }
        });
        return (precision, recall, scores);
    }

    /// <summary>
    /// One (category, area, maxDets) cell: the first <paramref name="maxDet"/> detections of every image concatenated
    /// in image order, stably sorted by descending score, cumulative TP / FP counts (ignored detections stay as repeated
    /// points), the running maximum of precision from the right, and the lookup at each recall threshold.
    /// </summary>
    private static void AccumulateOne(List<CocoImageEvaluation> entries, int maxDet, int npig, double[] recThrs, int T, int R,
        Func<int, int, int> precisionIndex, Func<int, int> recallIndex, double[] precision, double[] recall, double[] scores)
    {
        int nd = 0;
        foreach (var e in entries) nd += Math.Min(maxDet, e.DetectionCount);
        var dtScores = new double[nd];
        // 0 = ignored, 1 = true positive, 2 = false positive; per threshold, in concatenation order.
        var kind = new byte[T * nd];
        int n = 0;
        foreach (var e in entries)
        {
            int take = Math.Min(maxDet, e.DetectionCount), D = e.DetectionCount;
            for (int d = 0; d < take; d++, n++)
            {
                dtScores[n] = e.DetectionScores[d];
                for (int t = 0; t < T; t++)
                {
                    int idx = t * D + d;
                    kind[t * nd + n] = e.DetectionIgnore[idx] ? (byte)0 : e.DetectionMatches[idx] != 0 ? (byte)1 : (byte)2;
                }
            }
        }
        var order = new int[nd];
        for (int j = 0; j < nd; j++) order[j] = j;
        Array.Sort(order, (x, y) =>
        {
            int c = (-dtScores[x]).CompareTo(-dtScores[y]);
            return c != 0 ? c : x.CompareTo(y);
        });
        var sortedScores = new double[nd];
        for (int j = 0; j < nd; j++) sortedScores[j] = dtScores[order[j]];

        var rc = new double[nd];
        var pr = new double[nd];
        for (int t = 0; t < T; t++)
        {
            long tpSum = 0, fpSum = 0;
            int row = t * nd;
            for (int j = 0; j < nd; j++)
            {
                byte c = kind[row + order[j]];
                if (c == 1) tpSum++; else if (c == 2) fpSum++;
                double tp = tpSum, fp = fpSum;
                rc[j] = tp / npig;
                pr[j] = tp / (fp + tp + Epsilon);
            }
            recall[recallIndex(t)] = nd > 0 ? rc[nd - 1] : 0.0;
            for (int j = nd - 1; j > 0; j--)
                if (pr[j] > pr[j - 1]) pr[j - 1] = pr[j];
            for (int r = 0; r < R; r++)
            {
                int pos = SearchSortedLeft(rc, nd, recThrs[r]);
                int flat = precisionIndex(t, r);
                if (pos < nd)
                {
                    precision[flat] = pr[pos];
                    scores[flat] = sortedScores[pos];
                }
                else
                {
                    // Beyond the reached recall: 0 for this and every higher threshold.
                    for (int r2 = r; r2 < R; r2++)
                    {
                        int f2 = precisionIndex(t, r2);
                        precision[f2] = 0.0;
                        scores[f2] = 0.0;
                    }
                    break;
                }
            }
        }
    }

    /// <summary><c>np.searchsorted(values[:n], x, side='left')</c>: the first index with <c>values[i] &gt;= x</c>.</summary>
    private static int SearchSortedLeft(double[] values, int n, double x)
    {
        int lo = 0, hi = n;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
