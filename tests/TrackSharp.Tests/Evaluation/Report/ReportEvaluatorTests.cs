using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Evaluation.Report;
using Xunit;

namespace TrackSharp.Tests.Evaluation.Report;

/// <summary>
/// The report over golden/metrics/inputs in the OTB layout (datasets/otb + results/ope, README section 2 Layouts):
/// expected numbers come only from the golden toolkit outputs.
/// </summary>
public class ReportEvaluatorTests
{
    private static readonly string Otb = GoldenMetrics.Inputs("datasets", "otb");
    private static readonly string Ope = GoldenMetrics.Inputs("results", "ope");
    private static readonly string[] Trackers = ["trk_good", "trk_noisy", "trk_nasty"];

    [Fact]
    public void Got10kConventionMatchesGot10kToolkitOtbReport()
    {
        // got10k_toolkit.json modes.otb.trackers.<trk>.overall and per_sequence: ExperimentOTB.report.
        var report = ReportEvaluator.Run([Ope], ReportBenchmark.Otb, Otb, ReportConvention.Got10k);
        Assert.Equal("got10k", report.Convention);
        Assert.Equal(8, report.Sequences.Count);
        var golden = GoldenMetrics.Json("got10k_toolkit.json").GetProperty("modes").GetProperty("otb").GetProperty("trackers");
        foreach (string name in Trackers)
        {
            var t = report.Trackers.Single(x => x.Name == name);
            var g = golden.GetProperty(name).GetProperty("overall");
            Assert.Equal(8, t.SequencesEvaluated);
            var o = t.Overall!;
            GoldenMetrics.AssertClose(GoldenMetrics.Number(g.GetProperty("success_score")), o.Auc, $"{name} success_score");
            GoldenMetrics.AssertClose(GoldenMetrics.Number(g.GetProperty("precision_score")), o.Precision!.Value, $"{name} precision_score");
            GoldenMetrics.AssertClose(GoldenMetrics.Number(g.GetProperty("success_rate")), o.SuccessRate50, $"{name} success_rate");
            GoldenMetrics.AssertClose(GoldenMetrics.Number(g.GetProperty("speed_fps")), o.Fps!.Value, $"{name} speed_fps");
            GoldenMetrics.AssertClose(GoldenMetrics.Numbers(g.GetProperty("success_curve")), o.SuccessCurve, $"{name} success_curve");
            GoldenMetrics.AssertClose(GoldenMetrics.Numbers(g.GetProperty("precision_curve")), o.PrecisionCurve!, $"{name} precision_curve");
            Assert.Null(o.NormPrecision); // ExperimentOTB has none
            foreach (var s in t.Sequences)
            {
                var gs = golden.GetProperty(name).GetProperty("per_sequence").GetProperty(s.Sequence);
                Assert.Equal(SequenceStatus.Ok, s.Status);
                GoldenMetrics.AssertClose(GoldenMetrics.Number(gs.GetProperty("success_score")), s.Scores!.Auc, $"{name}/{s.Sequence} success_score");
                GoldenMetrics.AssertClose(GoldenMetrics.Number(gs.GetProperty("precision_score")), s.Scores.Precision!.Value, $"{name}/{s.Sequence} precision_score");
            }
        }
        // trk_nasty's wrong lengths are accepted (truncated) by ExperimentOTB, but still reported.
        Assert.Contains(report.Warnings, w => w.File!.EndsWith(Path.Combine("trk_nasty", "length-6.txt")) && w.Message.Contains("wrong number of lines"));
        Assert.Contains(report.Warnings, w => w.File!.EndsWith(Path.Combine("trk_nasty", "trknan-5.txt")) && w.Message.Contains("NaN"));
    }

    [Fact]
    public void PysotConventionMatchesPysotOpeOtbAndSubsetWhereItRefuses()
    {
        // pysot.json modes.ope_otb: trk_good / trk_noisy overall; trk_nasty raised, overall_subset = the 6 it evaluates.
        var report = ReportEvaluator.Run([Ope], ReportBenchmark.Otb, Otb); // pysot is the default for otb
        Assert.Equal("pysot", report.Convention);
        var golden = GoldenMetrics.Json("pysot.json").GetProperty("modes").GetProperty("ope_otb").GetProperty("trackers");
        foreach (string name in Trackers)
        {
            var t = report.Trackers.Single(x => x.Name == name);
            var g = golden.GetProperty(name).GetProperty(name == "trk_nasty" ? "overall_subset" : "overall");
            var expectedSequences = GoldenMetrics.Strings(g.GetProperty("sequences"));
            Assert.Equal(expectedSequences.Order(), t.Sequences.Where(s => s.Status == SequenceStatus.Ok).Select(s => s.Sequence).Order());
            GoldenMetrics.AssertClose(GoldenMetrics.Number(g.GetProperty("auc")), t.Overall!.Auc, $"{name} auc");
            GoldenMetrics.AssertClose(GoldenMetrics.Number(g.GetProperty("precision")), t.Overall.Precision!.Value, $"{name} precision");
            GoldenMetrics.AssertClose(GoldenMetrics.Number(g.GetProperty("norm_precision")), t.Overall.NormPrecision!.Value, $"{name} norm_precision");
            GoldenMetrics.AssertClose(GoldenMetrics.Numbers(g.GetProperty("norm_precision_curve")), t.Overall.NormPrecisionCurve!, $"{name} norm_precision_curve");
        }
        var nasty = report.Trackers.Single(x => x.Name == "trk_nasty");
        Assert.Equal(SequenceStatus.Error, nasty.Sequences.Single(s => s.Sequence == "length-6").Status);
        Assert.Contains(report.Warnings, w => w.File!.EndsWith(Path.Combine("trk_nasty", "first-8.txt")) && w.Message.Contains("not evaluated"));
    }

    [Fact]
    public void MissingSequenceAndBadFilesAreWarningsNamingTheFileAndTheRestIsReported()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-report-").FullName;
        try
        {
            string trk = Path.Combine(dir, "trk_good");
            Directory.CreateDirectory(trk);
            foreach (string f in Directory.GetFiles(Path.Combine(Ope, "trk_good"), "*.txt"))
                File.Copy(f, Path.Combine(trk, Path.GetFileName(f)));
            File.Delete(Path.Combine(trk, "long-7.txt"));                                   // missing sequence
            File.WriteAllText(Path.Combine(trk, "plain-1.txt"), "1,2,3\n4,5,6,7\n");         // malformed line
            var lines = File.ReadAllLines(Path.Combine(trk, "first-8.txt"));
            File.WriteAllLines(Path.Combine(trk, "first-8.txt"), lines[..10]);             // wrong number of lines

            var report = ReportEvaluator.Run([dir], ReportBenchmark.Otb, Otb, ReportConvention.Pysot);
            var t = Assert.Single(report.Trackers);
            Assert.Equal(SequenceStatus.Missing, t.Sequences.Single(s => s.Sequence == "long-7").Status);
            Assert.Equal(SequenceStatus.Error, t.Sequences.Single(s => s.Sequence == "plain-1").Status);
            Assert.Equal(SequenceStatus.Error, t.Sequences.Single(s => s.Sequence == "first-8").Status);
            Assert.Equal(5, t.SequencesEvaluated);
            Assert.NotNull(t.Overall);
            Assert.Contains(report.Warnings, w => w.File == Path.Combine(trk, "long-7.txt") && w.Message.Contains("missing"));
            Assert.Contains(report.Warnings, w => w.File == Path.Combine(trk, "plain-1.txt") && w.Message.Contains("plain-1.txt:1"));
            Assert.Contains(report.Warnings, w => w.File == Path.Combine(trk, "first-8.txt") && w.Message.Contains("10 result rows for 50"));

            // The overall is pysot's show_result arithmetic over the five sequences left: the mean of their golden curves.
            var perSeq = GoldenMetrics.Json("pysot.json").GetProperty("modes").GetProperty("ope_otb").GetProperty("trackers")
                .GetProperty("trk_good").GetProperty("per_sequence");
            string[] left = ["absent-4", "border-2", "invalidgt-3", "trknan-5", "length-6"];
            double expectedAuc = left.Sum(s => GoldenMetrics.Numbers(perSeq.GetProperty(s).GetProperty("success_curve")).Sum()) / (21.0 * left.Length);
            GoldenMetrics.AssertClose(expectedAuc, t.Overall!.Auc, "auc over the sequences left");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AllAbsentGroundTruthAndNegativeSizesAreNamedAndTheRestIsReported()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-report-gt-").FullName;
        try
        {
            // Dataset copy whose plain-1 keeps its first box and marks the target absent (0,0,0,0) everywhere after.
            string data = Path.Combine(dir, "otb");
            foreach (string seqDir in Directory.GetDirectories(Otb))
            {
                string to = Path.Combine(data, Path.GetFileName(seqDir));
                Directory.CreateDirectory(to);
                foreach (string f in Directory.GetFiles(seqDir)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
            }
            string plainGt = Path.Combine(data, "plain-1", "groundtruth_rect.txt");
            var gtLines = File.ReadAllLines(plainGt);
            File.WriteAllLines(plainGt, gtLines.Take(1).Concat(Enumerable.Repeat("0,0,0,0", gtLines.Length - 1)));

            string results = Path.Combine(dir, "results");
            foreach (string trk in new[] { "trk_good", "trk_neg" })
            {
                Directory.CreateDirectory(Path.Combine(results, trk));
                foreach (string f in Directory.GetFiles(Path.Combine(Ope, "trk_good"), "*.txt"))
                    File.Copy(f, Path.Combine(results, trk, Path.GetFileName(f)));
            }
            string negFile = Path.Combine(results, "trk_neg", "border-2.txt");
            var rows = File.ReadAllLines(negFile);
            rows[4] = "10,10,-3,5";
            File.WriteAllLines(negFile, rows);

            var report = ReportEvaluator.Run([results], ReportBenchmark.Otb, data, ReportConvention.Pysot);

            Assert.DoesNotContain("plain-1", report.Sequences);
            Assert.Equal(7, report.Sequences.Count);
            var skipped = Assert.Single(report.Warnings, w => w.File == plainGt);
            Assert.Contains("no frame after the first with the target present", skipped.Message);
            Assert.Contains(report.Warnings, w => w.File == negFile && w.Message.Contains("negative width or height (first: row 5)"));

            // trk_good: pysot's overall over the 7 sequences left = mean of their golden per-sequence success curves.
            var good = report.Trackers.Single(t => t.Name == "trk_good");
            Assert.Equal(7, good.SequencesEvaluated);
            var perSeq = GoldenMetrics.Json("pysot.json").GetProperty("modes").GetProperty("ope_otb").GetProperty("trackers")
                .GetProperty("trk_good").GetProperty("per_sequence");
            double expectedAuc = report.Sequences.Sum(q => GoldenMetrics.Numbers(perSeq.GetProperty(q).GetProperty("success_curve")).Sum())
                                 / (21.0 * report.Sequences.Count);
            GoldenMetrics.AssertClose(expectedAuc, good.Overall!.Auc, "auc over the sequences left");

            // pytracking refuses a result with a negative size: that sequence only is not evaluated, by name.
            var pt = ReportEvaluator.Run([results], ReportBenchmark.Otb, data, ReportConvention.Pytracking);
            var neg = pt.Trackers.Single(t => t.Name == "trk_neg");
            Assert.Equal(SequenceStatus.Error, neg.Sequences.Single(q => q.Sequence == "border-2").Status);
            var goodPt = pt.Trackers.Single(t => t.Name == "trk_good");
            Assert.Equal(SequenceStatus.Ok, goodPt.Sequences.Single(q => q.Sequence == "border-2").Status);
            Assert.Equal(goodPt.SequencesEvaluated - 1, neg.SequencesEvaluated); // the same files but border-2
            Assert.Contains(pt.Warnings, w => w.File == negFile && w.Message.Contains("not evaluated"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Got10kValPrefersTheGot10kLayoutWhereOurEvalAlsoWroteThePysotCopy()
    {
        // trk_good's GOT-10k results (golden inputs) plus a pysot-layout <seq>.txt beside each sequence folder, as
        // `eval --dataset got10k-val` writes both; these flat files hold nonsense, so only the GOT-10k files can give
        // got10k_toolkit.json modes.got10k_val.trackers.trk_good.overall.
        string dir = Directory.CreateTempSubdirectory("tracksharp-report-got-").FullName;
        try
        {
            string source = GoldenMetrics.Inputs("results", "GOT-10k", "trk_good");
            string trk = Path.Combine(dir, "trk_good");
            foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                string to = Path.Combine(trk, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to);
            }
            foreach (string seqDir in Directory.GetDirectories(trk))
            {
                int rows = File.ReadAllLines(Directory.GetFiles(seqDir, "*_001.txt").Single()).Length;
                File.WriteAllLines(seqDir + ".txt", Enumerable.Repeat("0,0,1,1", rows));
            }

            var report = ReportEvaluator.Run([dir], ReportBenchmark.Got10kVal, GoldenMetrics.Inputs("datasets", "got10k", "val"),
                ReportConvention.Got10k);

            var g = GoldenMetrics.Json("got10k_toolkit.json").GetProperty("modes").GetProperty("got10k_val").GetProperty("trackers")
                .GetProperty("trk_good").GetProperty("overall");
            var t = Assert.Single(report.Trackers);
            GoldenMetrics.AssertClose(GoldenMetrics.Number(g.GetProperty("ao")), t.Overall!.Auc, "ao");
            GoldenMetrics.AssertClose(GoldenMetrics.Number(g.GetProperty("sr")), t.Overall.SuccessRate50, "sr");
            Assert.All(t.Sequences.Where(q => q.Status == SequenceStatus.Ok), q => Assert.EndsWith("_001.txt", q.ResultFile));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void WriterProducesMarkdownSelfContainedHtmlAndDecodablePlots()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-report-out-").FullName;
        try
        {
            var report = ReportEvaluator.Run([Ope], ReportBenchmark.Otb, Otb, ReportConvention.Pysot);
            var files = ReportWriter.Write(report, dir);
            foreach (string f in new[] { files.Markdown, files.Html }.Concat(files.Png).Concat(files.Svg))
                Assert.True(new FileInfo(f).Length > 0, $"{f} is empty");
            Assert.Equal(new[] { "success", "precision", "norm_precision" }, files.Png.Select(Path.GetFileNameWithoutExtension));
            foreach (string png in files.Png)
            {
                using var image = Cv2.ImRead(png);
                Assert.False(image.Empty(), $"{png} does not decode");
                Assert.Equal(new Size(ReportPlots.Width, ReportPlots.Height), image.Size());
            }
            Assert.StartsWith("<svg", File.ReadAllText(files.Svg[0]).TrimStart().Split('\n').First(l => l.Contains("<svg")).TrimStart());

            string md = File.ReadAllText(files.Markdown);
            Assert.Contains("| trk_good | 75.52 |", md); // pysot auc 0.75521 (pysot.json)
            Assert.Contains("| long-7 |", md);
            Assert.Contains("error", md);                // trk_nasty length-6 / first-8

            string html = File.ReadAllText(files.Html);
            Assert.Equal(3, CountOf(html, "src=\"data:image/png;base64,"));
            Assert.DoesNotContain("http://", html);
            Assert.DoesNotContain("https://", html);
            Assert.DoesNotContain("<link", html);
            Assert.DoesNotContain("<script", html);
            Assert.Contains("trk_nasty", html);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int CountOf(string text, string part)
    {
        int n = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
