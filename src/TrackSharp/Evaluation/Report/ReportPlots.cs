using ScottPlot;

namespace TrackSharp.Evaluation.Report;

/// <summary>One rendered plot: PNG bytes and SVG text of the same figure; <see cref="Attribute"/> is the attribute code
/// for a per-attribute plot, null for the overall ones.</summary>
public sealed record RenderedPlot(string Name, byte[] Png, string Svg, int Width, int Height, string? Attribute = null);

/// <summary>
/// Success and precision plots with ScottPlot 5: one curve per tracker on the convention's own thresholds, the
/// score in the legend (AUC for success, precision at 20 px for precision), labelled axes, trackers sorted by score;
/// then, per attribute of the benchmark, a success and a precision plot over that attribute's sequences
/// (<c>success_&lt;CODE&gt;</c>, <c>precision_&lt;CODE&gt;</c>).
/// </summary>
public static class ReportPlots
{
    public const int Width = 800;
    public const int Height = 600;

    /// <summary>The plots a report has: success always; precision and normalised precision when the convention defines them.</summary>
    public static IReadOnlyList<RenderedPlot> Render(EvaluationReport report)
    {
        var trackers = report.Trackers.Where(t => t.Overall is not null).ToList();
        var plots = new List<RenderedPlot>();
        if (trackers.Count == 0) return plots;
        string setting = $"{report.Dataset}, {report.Convention} convention";
        plots.Add(Draw("success", $"Success plot ({setting})", "Overlap threshold (IoU)", "Success rate",
            report.Thresholds.Success, trackers.Select(t => (t.Name, t.Overall!.SuccessCurve, t.Overall.Auc)),
            report.Convention == "got10k" && report.Dataset == "got10k-val" ? "AO" : "AUC", yMax: 1, xMax: 1));
        if (report.Thresholds.Precision is { } pt && trackers.All(t => t.Overall!.PrecisionCurve is not null))
            plots.Add(Draw("precision", $"Precision plot ({setting})", "Location error threshold (pixels)", "Precision",
                pt, trackers.Select(t => (t.Name, t.Overall!.PrecisionCurve!, t.Overall.Precision ?? double.NaN)),
                "P@20", yMax: 1, xMax: pt[^1]));
        if (report.Thresholds.NormPrecision is { } nt && trackers.All(t => t.Overall!.NormPrecisionCurve is not null))
            plots.Add(Draw("norm_precision", $"Normalized precision plot ({setting})", "Normalized location error threshold",
                "Normalized precision",
                nt, trackers.Select(t => (t.Name, t.Overall!.NormPrecisionCurve!, t.Overall.NormPrecision ?? double.NaN)),
                "NP", yMax: 1, xMax: nt[^1]));
        foreach (var a in report.Attributes ?? [])
        {
            if (a.Trackers.Count == 0) continue;
            string subset = $"{a.Name} ({a.Code}, {a.Sequences.Count} sequence{(a.Sequences.Count == 1 ? "" : "s")})";
            plots.Add(Draw($"success_{a.Code}", $"Success plot: {subset}", "Overlap threshold (IoU)", "Success rate",
                report.Thresholds.Success, a.Trackers.Select(t => (t.Tracker, t.SuccessCurve, t.Auc)), "AUC", yMax: 1, xMax: 1)
                with { Attribute = a.Code });
            if (report.Thresholds.Precision is { } apt && a.Trackers.All(t => t.PrecisionCurve is not null))
                plots.Add(Draw($"precision_{a.Code}", $"Precision plot: {subset}", "Location error threshold (pixels)", "Precision",
                    apt, a.Trackers.Select(t => (t.Tracker, t.PrecisionCurve!, t.Precision ?? double.NaN)), "P@20",
                    yMax: 1, xMax: apt[^1]) with { Attribute = a.Code });
        }
        return plots;
    }

    private static RenderedPlot Draw(string name, string title, string xLabel, string yLabel, IReadOnlyList<double> xs,
        IEnumerable<(string Name, IReadOnlyList<double> Curve, double Score)> curves, string scoreName, double yMax, double xMax)
    {
        using var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int i = 0;
        foreach (var (tracker, curve, score) in curves.OrderByDescending(c => double.IsNaN(c.Score) ? double.MinValue : c.Score))
        {
            var ys = curve.Select(v => double.IsFinite(v) ? Math.Min(v, 1.0) : 0.0).ToArray(); // norm. precision may exceed 1
            var line = plot.Add.ScatterLine(xs.ToArray(), ys);
            line.Color = palette.GetColor(i++);
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = $"{tracker} [{scoreName} {score * 100:F1}]";
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Axes.SetLimits(0, xMax, 0, yMax * 1.02);
        plot.ShowLegend(name == "success" ? Alignment.LowerLeft : Alignment.LowerRight);
        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        string svg = plot.GetSvgXml(Width, Height);
        return new RenderedPlot(name, png, svg, Width, Height);
    }
}
