using System.IO.Compression;
using TrackSharp.Evaluation.TrackingNet;
using TrackSharp.Tests.Evaluation.Got10k;
using Xunit;
using Xunit.Abstractions;
using static TrackSharp.Tests.Evaluation.GoldenMetrics;

namespace TrackSharp.Tests.Evaluation.TrackingNet;

/// <summary>
/// The TrackingNet devkit's <c>metrics.py evaluate</c> against golden/metrics/outputs/trackingnet.json
/// (<c>trackers.&lt;trk&gt;.overall</c> and <c>.per_sequence.&lt;seq&gt;</c>, which the devkit computed with a one-file GT zip).
/// </summary>
public class TrackingNetEvaluatorTests(ITestOutputHelper output)
{
    private static readonly string GtZip = Inputs("datasets", "trackingnet", "GT.zip");

    [Fact]
    public void ThresholdsAreNumpysLinspace()
    {
        var t = Json("trackingnet.json").GetProperty("thresholds");
        Assert.Equal(Numbers(t.GetProperty("success")), TrackingNetThresholds.Success);
        Assert.Equal(Numbers(t.GetProperty("precision")), TrackingNetThresholds.Precision);
        Assert.Equal(Numbers(t.GetProperty("norm_precision")), TrackingNetThresholds.NormalizedPrecision);
    }

    [Theory]
    [InlineData("trk_good")]
    [InlineData("trk_noisy")]
    [InlineData("trk_nasty")]
    [InlineData("trk_good_missing")] // long-7.txt absent: an all-zero submission for it
    public void OverallAndPerSequenceMatchTheDevkit(string tracker)
    {
        var expected = Json("trackingnet.json").GetProperty("trackers").GetProperty(tracker);
        var result = TrackingNetEvaluator.Evaluate(GtZip, Inputs("results", "trackingnet", tracker + ".zip"));

        var overall = expected.GetProperty("overall");
        Assert.Equal("ok", overall.GetProperty("status").GetString());
        Assert.Equal(Strings(overall.GetProperty("sequences")), result.Sequences.Keys.ToArray());
        double worst = Compare(overall, result.Overall, $"{tracker} overall");
        foreach (var (name, scores) in result.Sequences)
        {
            var e = expected.GetProperty("per_sequence").GetProperty(name);
            Assert.Equal("ok", e.GetProperty("status").GetString());
            worst = Math.Max(worst, Compare(e, scores, $"{tracker}/{name}"));
        }
        output.WriteLine($"trackingnet {tracker}: worst error {worst:E3}");
    }

    [Fact]
    public void MalformedSubmissionLineIsReportedWithEntryAndLine()
    {
        string zip = Path.Combine(Path.GetTempPath(), $"tracksharp-tn-{Guid.NewGuid():N}.zip");
        try
        {
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            using (var writer = new StreamWriter(archive.CreateEntry("plain-1.txt").Open()))
                writer.Write("1,2,3,4\n5,6,seven,8\n");
            var ex = Assert.Throws<FormatException>(() => TrackingNetEvaluator.Evaluate(GtZip, zip));
            Assert.Contains("plain-1.txt:2", ex.Message);
            Assert.Contains("seven", ex.Message);
        }
        finally { File.Delete(zip); }
    }

    private static double Compare(System.Text.Json.JsonElement e, TrackingNetScores s, string what)
    {
        // Percent-scale numbers and 0..1 curves, both compared at the brief's 1e-6.
        double worst = AssertClose(Number(e.GetProperty("coverage")), s.Coverage, $"{what} coverage");
        worst = Math.Max(worst, AssertClose(Number(e.GetProperty("success")), s.Success, $"{what} success"));
        worst = Math.Max(worst, AssertClose(Number(e.GetProperty("precision")), s.Precision, $"{what} precision"));
        worst = Math.Max(worst, AssertClose(Number(e.GetProperty("normalized_precision")), s.NormalizedPrecision, $"{what} normalized_precision"));
        worst = Math.Max(worst, AssertClose(Numbers(e.GetProperty("success_curve")), s.SuccessCurve, $"{what} success_curve"));
        worst = Math.Max(worst, AssertClose(Numbers(e.GetProperty("precision_curve")), s.PrecisionCurve, $"{what} precision_curve"));
        worst = Math.Max(worst, AssertClose(Numbers(e.GetProperty("norm_precision_curve")), s.NormalizedPrecisionCurve, $"{what} norm_precision_curve"));
        return worst;
    }
}
