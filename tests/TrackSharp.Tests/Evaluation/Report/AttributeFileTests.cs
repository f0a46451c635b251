using TrackSharp.Evaluation.Report;
using Xunit;

namespace TrackSharp.Tests.Evaluation.Report;

/// <summary>Attribute sources: LaSOT toolkit files <c>att/&lt;seq&gt;.txt</c> (14 flags in the toolkit's order), OTB
/// <c>attrs.txt</c> and the OTB table; expected codes are the flags written here or data/MANIFEST.md's lists.</summary>
public sealed class AttributeFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracksharp-attr-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative, string text)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void LasotFlagsFollowTheToolkitOrder()
    {
        // Flags 1 (IV), 5 (CM), 10 (FOC) and 14 (ARC) set.
        Write("att/airplane-1.txt", "1,0,0,0,1,0,0,0,0,1,0,0,0,1\n");
        Write("annos/att/bear-2.txt", "0,0,0,0,0,0,0,0,0,0,0,0,1,0");
        Assert.Equal(new[] { "IV", "CM", "FOC", "ARC" }, LasotAttributes.Of(_dir, "airplane-1"));
        Assert.Equal(new[] { "LR" }, LasotAttributes.Of(_dir, "bear-2"));
        Assert.Null(LasotAttributes.Of(_dir, "cat-3"));
        Assert.Equal(14, LasotAttributes.All.Count);

        string bad = Write("att/dog-4.txt", "1,0,1\n");
        var e = Assert.Throws<FormatException>(() => LasotAttributes.Of(_dir, "dog-4"));
        Assert.Contains(bad, e.Message);
        string two = Write("att/dog-5.txt", "1,0,0,0,1,0,0,0,0,1,0,0,0,2\n");
        Assert.Contains("flag 14", Assert.Throws<FormatException>(() => LasotAttributes.Of(_dir, "dog-5")).Message);
        Assert.Contains(two, Assert.Throws<FormatException>(() => LasotAttributes.Of(_dir, "dog-5")).Message);
    }

    [Fact]
    public void OtbTableAndAttrsFile()
    {
        // data/MANIFEST.md: Jogging (target 1) OCC, DEF, OPR; David IV, SV, OCC, DEF, MB, IPR, OPR.
        Assert.Equal(new[] { "OCC", "DEF", "OPR" }, OtbAttributes.Of("Jogging_1", null));
        Assert.Equal(new[] { "OCC", "DEF", "OPR" }, OtbAttributes.Of("Jogging1", null));
        Assert.Equal(new[] { "IV", "SV", "OCC", "DEF", "MB", "IPR", "OPR" }, OtbAttributes.Of("David", null));
        Assert.Null(OtbAttributes.Of("NotAnOtbSequence", null));

        Write("Mine/attrs.txt", "SV, OCC\r\n");
        Assert.Equal(new[] { "SV", "OCC" }, OtbAttributes.Of("David", Path.Combine(_dir, "Mine")));
        string bad = Write("Bad/attrs.txt", "SV, XYZ");
        var e = Assert.Throws<FormatException>(() => OtbAttributes.Of("David", Path.Combine(_dir, "Bad")));
        Assert.Contains(bad, e.Message);
        Assert.Contains("XYZ", e.Message);
    }

    [Fact]
    public void LasotReportHasAttributeSubsetsFromTheToolkitFiles()
    {
        // golden/metrics LaSOT inputs copied, with att files: plain-1 IV; border-2 IV and LR.
        string data = Path.Combine(_dir, "lasot");
        string source = GoldenMetrics.Inputs("datasets", "lasot");
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(data, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        Write("lasot/att/plain-1.txt", "1,0,0,0,0,0,0,0,0,0,0,0,0,0\n");
        Write("lasot/att/border-2.txt", "1,0,0,0,0,0,0,0,0,0,0,0,1,0\n");

        var report = ReportEvaluator.Run([GoldenMetrics.Inputs("results", "ope")], ReportBenchmark.Lasot, data); // pytracking
        Assert.Equal(new[] { "IV", "LR" }, report.Attributes!.Select(a => a.Code));
        var iv = report.Attributes!.Single(a => a.Code == "IV");
        Assert.Equal(new[] { "border-2", "plain-1" }, iv.Sequences.Order(StringComparer.Ordinal));

        // pytracking.json modes.lasot.trackers.trk_good.per_sequence: the subset is the mean of the two sequences' curves.
        var perSeq = GoldenMetrics.Json("pytracking.json").GetProperty("modes").GetProperty("lasot").GetProperty("trackers")
            .GetProperty("trk_good").GetProperty("per_sequence");
        double Auc(string seq) => GoldenMetrics.Numbers(perSeq.GetProperty(seq).GetProperty("success_curve")).Average();
        double P20(string seq) => GoldenMetrics.Number(perSeq.GetProperty(seq).GetProperty("precision_at_20"));
        var good = iv.Trackers.Single(t => t.Tracker == "trk_good");
        GoldenMetrics.AssertClose((Auc("plain-1") + Auc("border-2")) / 2, good.Auc, "IV auc");
        GoldenMetrics.AssertClose((P20("plain-1") + P20("border-2")) / 2, good.Precision!.Value, "IV precision@20");
        var lr = report.Attributes!.Single(a => a.Code == "LR").Trackers.Single(t => t.Tracker == "trk_good");
        GoldenMetrics.AssertClose(Auc("border-2"), lr.Auc, "LR auc");
    }
}
