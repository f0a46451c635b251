using OpenCvSharp;
using TrackSharp.Data.Datasets;
using TrackSharp.Evaluation.Report;
using Xunit;

namespace TrackSharp.Tests.Evaluation.Report;

/// <summary>
/// Per-attribute scores and plots on the six shared OTB sequences (their attributes: data/MANIFEST.md) with two
/// made-up trackers whose scores are known by hand: "exact" reports the ground truth (pysot: IoU 1 passes 20 of the
/// 21 thresholds, AUC 20/21; centre error 0, precision 1) and "mixed" reports it on Crossing, David and Jogging_1 but
/// boxes 1000 px away on DragonBaby, Diving and MotorRolling (IoU 0, error 1000: AUC 0, precision 0), so on an
/// attribute its AUC is 20/21 times the share of the attribute's sequences among the first three.
/// </summary>
public sealed class ReportAttributeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracksharp-report-attr-").FullName;
    private static readonly string Otb = Path.Combine(TestPaths.Shared, "data", "otb");

    // data/MANIFEST.md, "attributes" column.
    private static readonly Dictionary<string, string[]> Manifest = new()
    {
        ["Crossing"] = ["SV", "DEF", "FM", "OPR", "BC"],
        ["DragonBaby"] = ["SV", "OCC", "MB", "FM", "IPR", "OPR", "OV"],
        ["David"] = ["IV", "SV", "OCC", "DEF", "MB", "IPR", "OPR"],
        ["Diving"] = ["SV", "DEF", "IPR"],
        ["MotorRolling"] = ["IV", "SV", "MB", "FM", "IPR", "BC", "LR"],
        ["Jogging_1"] = ["OCC", "DEF", "OPR"],
    };

    private static readonly string[] ExactInMixed = ["Crossing", "David", "Jogging_1"];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteResults()
    {
        string results = Path.Combine(_dir, "results");
        foreach (var seq in DatasetReader.Open(Otb, DatasetFormat.Otb).Sequences)
        {
            foreach (string tracker in new[] { "exact", "mixed" })
            {
                double shift = tracker == "mixed" && !ExactInMixed.Contains(seq.Name) ? 1000 : 0;
                Directory.CreateDirectory(Path.Combine(results, tracker));
                File.WriteAllLines(Path.Combine(results, tracker, seq.Name + ".txt"), seq.GroundTruth.Select(b =>
                    FormattableString.Invariant($"{b.X + shift},{b.Y},{b.Width},{b.Height}")));
            }
        }
        return results;
    }

    [Fact]
    public void EveryOtbAttributeHasTheHandComputedScoresOfItsSequences()
    {
        var report = ReportEvaluator.Run([WriteResults()], ReportBenchmark.Otb, Otb, ReportConvention.Pysot);

        Assert.NotNull(report.Attributes);
        Assert.Equal(new[] { "IV", "SV", "OCC", "DEF", "MB", "FM", "IPR", "OPR", "OV", "BC", "LR" }, report.Attributes!.Select(a => a.Code));
        foreach (var a in report.Attributes!)
        {
            var expected = Manifest.Where(kv => kv.Value.Contains(a.Code)).Select(kv => kv.Key).Order().ToList();
            Assert.Equal(expected, a.Sequences.Order());
            double share = (double)expected.Count(ExactInMixed.Contains) / expected.Count;
            var exact = a.Trackers.Single(t => t.Tracker == "exact");
            var mixed = a.Trackers.Single(t => t.Tracker == "mixed");
            Assert.Equal(expected.Count, mixed.SequencesEvaluated);
            Assert.Equal(20.0 / 21.0, exact.Auc, 12);
            Assert.Equal(1.0, exact.Precision!.Value, 12);
            Assert.Equal(share * 20.0 / 21.0, mixed.Auc, 12);
            Assert.Equal(share, mixed.Precision!.Value, 12);
        }
        Assert.Equal("Low Resolution", report.Attributes!.Single(a => a.Code == "LR").Name);
    }

    [Fact]
    public void AttributePlotsAreWrittenAsPngAndSvgAndEmbeddedInTheHtml()
    {
        var report = ReportEvaluator.Run([WriteResults()], ReportBenchmark.Otb, Otb, ReportConvention.Pysot);
        var files = ReportWriter.Write(report, Path.Combine(_dir, "report"));

        foreach (string code in new[] { "IV", "SV", "OCC", "DEF", "MB", "FM", "IPR", "OPR", "OV", "BC", "LR" })
            foreach (string kind in new[] { "success", "precision" })
            {
                string png = Assert.Single(files.Png, f => Path.GetFileName(f) == $"{kind}_{code}.png");
                using var image = Cv2.ImRead(png);
                Assert.Equal(new Size(ReportPlots.Width, ReportPlots.Height), image.Size());
                Assert.Contains("<svg", File.ReadAllText(Assert.Single(files.Svg, f => Path.GetFileName(f) == $"{kind}_{code}.svg")));
            }
        string html = File.ReadAllText(files.Html);
        Assert.Contains("<h2>Per attribute</h2>", html);
        Assert.Contains("Low Resolution (LR)", html);
        Assert.Equal(3 + 22, CountOf(html, "src=\"data:image/png;base64,")); // success, precision, norm. precision + 11 x 2
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        string md = File.ReadAllText(files.Markdown);
        Assert.Contains("![success_OV](success_OV.png)", md);
        Assert.Contains("| Out-of-View (OV) | 1 | 95.24 | 100.00 | 0.00 | 0.00 |", md); // DragonBaby only: exact 20/21, mixed 0
    }

    [ChromiumFact]
    public void TheHtmlReportRendersOfflineInHeadlessChromium()
    {
        var report = ReportEvaluator.Run([WriteResults()], ReportBenchmark.Otb, Otb, ReportConvention.Pysot);
        var files = ReportWriter.Write(report, Path.Combine(_dir, "report"));
        string shot = Path.Combine(_dir, "screenshot.png");

        HeadlessChromium.Screenshot(files.Html, shot, 1280, 2400);

        using var image = Cv2.ImRead(shot);
        Assert.False(image.Empty(), "the screenshot does not decode");
        Assert.Equal(new Size(1280, 2400), image.Size());
        // A rendered page, not a blank one: the embedded plots and tables put many distinct colours on it.
        using var grey = image.CvtColor(ColorConversionCodes.BGR2GRAY);
        Cv2.MeanStdDev(grey, out _, out var std);
        Assert.True(std.Val0 > 20, $"the screenshot looks blank (grey-level std {std.Val0:F1})");
        // Copy for people to look at when TRACKSHARP_SCREENSHOT_DIR is set (e.g. a CI artifact folder).
        if (Environment.GetEnvironmentVariable("TRACKSHARP_SCREENSHOT_DIR") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            File.Copy(shot, Path.Combine(keep, "report-otb.png"), overwrite: true);
        }
    }

    private static int CountOf(string text, string part)
    {
        int n = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
