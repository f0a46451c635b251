using System.Globalization;
using System.Net;
using System.Text;

namespace TrackSharp.Evaluation.Report;

/// <summary>The files <see cref="ReportWriter.Write"/> produced.</summary>
public sealed record ReportFiles(string Markdown, string Html, IReadOnlyList<string> Png, IReadOnlyList<string> Svg);

/// <summary>
/// Writes a report folder: <c>report.md</c> (tables; plots linked as files), <c>report.html</c> (self-contained:
/// styles inline, plots embedded as PNG data URIs, no external asset) and each plot as <c>&lt;name&gt;.png</c> and
/// <c>&lt;name&gt;.svg</c>. Scores are printed in percent with 2 decimals. Every file is written atomically.
/// </summary>
public static class ReportWriter
{
    public static ReportFiles Write(EvaluationReport report, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var plots = ReportPlots.Render(report);
        var png = new List<string>();
        var svg = new List<string>();
        foreach (var p in plots)
        {
            png.Add(WriteAtomic(Path.Combine(outDir, p.Name + ".png"), p.Png));
            svg.Add(WriteAtomic(Path.Combine(outDir, p.Name + ".svg"), Encoding.UTF8.GetBytes(p.Svg)));
        }
        string md = WriteAtomic(Path.Combine(outDir, "report.md"), Encoding.UTF8.GetBytes(Markdown(report, plots)));
        string html = WriteAtomic(Path.Combine(outDir, "report.html"), Encoding.UTF8.GetBytes(Html(report, plots)));
        return new ReportFiles(md, html, png, svg);
    }

    // ------------------------------------------------------------ tables shared by both formats

    private static readonly string[] OverallHeader =
        ["Tracker", "AUC (%)", "Precision@20 (%)", "Norm. precision (%)", "SR0.5 (%)", "SR0.75 (%)", "Sequences", "FPS"];

    private static List<string[]> OverallRows(EvaluationReport r) =>
        r.Trackers.OrderByDescending(t => t.Overall?.Auc ?? double.MinValue).Select(t => new[]
        {
            t.Name, P(t.Overall?.Auc), P(t.Overall?.Precision), P(t.Overall?.NormPrecision), P(t.Overall?.SuccessRate50),
            P(t.Overall?.SuccessRate75), $"{t.SequencesEvaluated}/{t.SequencesTotal}",
            t.Overall?.Fps is double f ? f.ToString("F1", CultureInfo.InvariantCulture) : "-",
        }).ToList();

    private static string[] SequenceHeader(EvaluationReport r) =>
        new[] { "Sequence" }.Concat(r.Trackers.SelectMany(t => new[] { $"{t.Name} AUC", $"{t.Name} P@20" })).ToArray();

    private static List<string[]> SequenceRows(EvaluationReport r) =>
        r.Sequences.Select(seq => new[] { seq }.Concat(r.Trackers.SelectMany(t =>
        {
            var s = t.Sequences.First(x => x.Sequence == seq);
            return s.Status switch
            {
                SequenceStatus.Ok => new[] { P(s.Scores!.Auc), P(s.Scores.Precision) },
                SequenceStatus.Missing => new[] { "missing", "missing" },
                _ => new[] { "error", "error" },
            };
        })).ToArray()).ToList();

    private static string[] AttributeHeader(EvaluationReport r) =>
        new[] { "Attribute", "Sequences" }.Concat(r.Trackers.SelectMany(t => new[] { $"{t.Name} AUC", $"{t.Name} P@20" })).ToArray();

    private static List<string[]> AttributeRows(EvaluationReport r) =>
        (r.Attributes ?? []).Select(a => new[] { $"{a.Name} ({a.Code})", a.Sequences.Count.ToString(CultureInfo.InvariantCulture) }
            .Concat(r.Trackers.SelectMany(t => a.Trackers.FirstOrDefault(x => x.Tracker == t.Name) is { } s
                ? new[] { P(s.Auc), P(s.Precision) }
                : new[] { "-", "-" })).ToArray()).ToList();

    private static string P(double? v) => v is double d
        ? double.IsNaN(d) ? "NaN" : (d * 100).ToString("F2", CultureInfo.InvariantCulture)
        : "-";

    // ------------------------------------------------------------ markdown

    public static string Markdown(EvaluationReport r, IReadOnlyList<RenderedPlot> plots)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Tracking report: {r.Dataset} ({r.Convention} convention)").AppendLine();
        sb.AppendLine($"- dataset: `{r.DatasetPath}` ({r.Sequences.Count} sequences)");
        sb.AppendLine($"- convention: {r.ConventionNotes}");
        sb.AppendLine($"- trackers: {r.Trackers.Count}; warnings: {r.Warnings.Count}").AppendLine();
        sb.AppendLine("## Overall").AppendLine();
        MdTable(sb, OverallHeader, OverallRows(r));
        foreach (var p in plots.Where(p => p.Attribute is null)) sb.AppendLine($"![{p.Name}]({p.Name}.png)").AppendLine();
        if (r.Attributes is { Count: > 0 } attributes)
        {
            sb.AppendLine("## Per attribute").AppendLine();
            MdTable(sb, AttributeHeader(r), AttributeRows(r));
            foreach (var a in attributes)
            {
                var own = plots.Where(p => p.Attribute == a.Code).ToList();
                if (own.Count == 0) continue;
                sb.AppendLine($"### {a.Name} ({a.Code})").AppendLine();
                sb.AppendLine($"Sequences: {string.Join(", ", a.Sequences)}").AppendLine();
                foreach (var p in own) sb.AppendLine($"![{p.Name}]({p.Name}.png)").AppendLine();
            }
        }
        sb.AppendLine("## Per sequence").AppendLine();
        MdTable(sb, SequenceHeader(r), SequenceRows(r));
        if (r.Warnings.Count > 0)
        {
            sb.AppendLine("## Warnings").AppendLine();
            foreach (var w in r.Warnings) sb.AppendLine($"- {w.ToString().Replace("|", "\\|")}");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private static void MdTable(StringBuilder sb, string[] header, List<string[]> rows)
    {
        static string Cell(string s) => s.Replace("|", "\\|");
        sb.AppendLine("| " + string.Join(" | ", header.Select(Cell)) + " |");
        sb.AppendLine("|" + string.Join("|", header.Select((_, i) => i == 0 ? "---" : "---:")) + "|");
        foreach (var row in rows) sb.AppendLine("| " + string.Join(" | ", row.Select(Cell)) + " |");
        sb.AppendLine();
    }

    // ------------------------------------------------------------ html

    public static string Html(EvaluationReport r, IReadOnlyList<RenderedPlot> plots)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html>");
        sb.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.AppendLine($"<title>Tracking report: {E(r.Dataset)} ({E(r.Convention)})</title>");
        sb.AppendLine("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}" +
                      "th,td{border:1px solid #bbb;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}" +
                      "th{background:#eee}td.missing,td.error{color:#b00}.warn{color:#a60}img{max-width:100%;margin:0.5em}</style>");
        sb.AppendLine("</head><body>");
        sb.AppendLine($"<h1>Tracking report: {E(r.Dataset)} ({E(r.Convention)} convention)</h1>");
        sb.AppendLine($"<p>Dataset <code>{E(r.DatasetPath)}</code>, {r.Sequences.Count} sequences, {r.Trackers.Count} trackers.<br>{E(r.ConventionNotes)}</p>");
        sb.AppendLine("<h2>Overall</h2>");
        HtmlTable(sb, OverallHeader, OverallRows(r));
        sb.AppendLine("<div>");
        foreach (var p in plots.Where(p => p.Attribute is null)) HtmlImage(sb, p);
        sb.AppendLine("</div>");
        if (r.Attributes is { Count: > 0 } attributes)
        {
            sb.AppendLine("<h2>Per attribute</h2>");
            HtmlTable(sb, AttributeHeader(r), AttributeRows(r));
            foreach (var a in attributes)
            {
                var own = plots.Where(p => p.Attribute == a.Code).ToList();
                if (own.Count == 0) continue;
                sb.AppendLine($"<h3 id=\"attribute-{E(a.Code)}\">{E(a.Name)} ({E(a.Code)})</h3>");
                sb.AppendLine($"<p>Sequences: {E(string.Join(", ", a.Sequences))}</p><div>");
                foreach (var p in own) HtmlImage(sb, p, divisor: 2);
                sb.AppendLine("</div>");
            }
        }
        sb.AppendLine("<h2>Per sequence</h2>");
        HtmlTable(sb, SequenceHeader(r), SequenceRows(r));
        if (r.Warnings.Count > 0)
        {
            sb.AppendLine("<h2>Warnings</h2><ul class=\"warn\">");
            foreach (var w in r.Warnings) sb.AppendLine($"<li>{E(w.ToString())}</li>");
            sb.AppendLine("</ul>");
        }
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    /// <summary>A plot embedded as a PNG data URI (the page needs no other file), shown at 1/<paramref name="divisor"/> size.</summary>
    private static void HtmlImage(StringBuilder sb, RenderedPlot p, int divisor = 1) =>
        sb.AppendLine($"<img alt=\"{WebUtility.HtmlEncode(p.Name)} plot\" width=\"{p.Width / divisor}\" height=\"{p.Height / divisor}\" " +
                      $"src=\"data:image/png;base64,{Convert.ToBase64String(p.Png)}\">");

    private static void HtmlTable(StringBuilder sb, string[] header, List<string[]> rows)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        sb.Append("<table><thead><tr>");
        foreach (var h in header) sb.Append($"<th>{E(h)}</th>");
        sb.AppendLine("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var c in row)
                sb.Append(c is "missing" or "error" ? $"<td class=\"{c}\">{c}</td>" : $"<td>{E(c)}</td>");
            sb.AppendLine("</tr>");
        }
        sb.AppendLine("</tbody></table>");
    }

    private static string WriteAtomic(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        string tmp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
        return full;
    }
}
