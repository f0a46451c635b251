namespace TrackSharp.Detection.Evaluation;

/// <summary>
/// Per-category figures derived from the accumulated arrays with <c>summarize()</c>'s rule (mean of the entries
/// &gt; -1, else -1), area "all": AP over all IoU thresholds, AP50, AP75 (maxDets 100) and AR100. This is what the
/// golden's per-category table and maskrcnn-benchmark-style per-class reports show.
/// </summary>
public readonly record struct CocoCategoryScores(long CategoryId, string Name, double AP, double AP50, double AP75, double AR100)
{
    /// <summary>One row per category in K order (ascending id); names from <paramref name="names"/> when given.</summary>
    public static IReadOnlyList<CocoCategoryScores> From(CocoEvaluation e, IReadOnlyDictionary<long, string>? names = null)
    {
        var rows = new List<CocoCategoryScores>(e.K);
        int m = e.M - 1;
        for (int k = 0; k < e.K; k++)
        {
            double Ap(int? tOnly)
            {
                var v = new List<double>();
                for (int t = 0; t < e.T; t++)
                {
                    if (tOnly is { } only && t != only) continue;
                    for (int r = 0; r < e.R; r++)
                        if (e.PrecisionAt(t, r, k, 0, m) is var x && x > -1) v.Add(x);
                }
                return v.Count == 0 ? -1.0 : CocoSummary.NumpyMean(v.ToArray());
            }
            var rec = new List<double>();
            for (int t = 0; t < e.T; t++)
                if (e.RecallAt(t, k, 0, m) is var x && x > -1) rec.Add(x);
            long id = e.CategoryIds[k];
            string name = names is not null && names.TryGetValue(id, out var n) ? n : id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            rows.Add(new CocoCategoryScores(id, name, Ap(null), Ap(0), Ap(5),
                rec.Count == 0 ? -1.0 : CocoSummary.NumpyMean(rec.ToArray())));
        }
        return rows;
    }
}
