using System.Globalization;
using System.IO.Compression;
using TrackSharp.Data.Datasets;
using TrackSharp.Evaluation.Runs;
using TrackSharp.Evaluation.TrackingNet;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Evaluation.Runs;

/// <summary>
/// One-pass runs on the TrackingNet layout and the submission zip (pytracking's <c>pack_trackingnet_results</c>:
/// <c>&lt;video&gt;.txt</c> entries at the archive root, <c>%.2f</c> comma separated). Frames: the first images of
/// shared/data/otb/Crossing renamed 0.jpg, 1.jpg ...; tracker: OpenCV KCF.
/// </summary>
public sealed class TrackingNetEvalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracksharp-tn-").FullName;
    private static readonly string Crossing = Path.Combine(TestPaths.Shared, "data", "otb", "Crossing");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Video(string chunk, string video, int frames, int annotatedRows)
    {
        string folder = Path.Combine(_dir, "tn", chunk, "frames", video);
        Directory.CreateDirectory(folder);
        for (int i = 0; i < frames; i++)
            File.Copy(Path.Combine(Crossing, "img", $"{i + 1:D4}.jpg"), Path.Combine(folder, $"{i}.jpg"));
        Directory.CreateDirectory(Path.Combine(_dir, "tn", chunk, "anno"));
        File.WriteAllLines(Path.Combine(_dir, "tn", chunk, "anno", video + ".txt"),
            File.ReadLines(Path.Combine(Crossing, "groundtruth_rect.txt")).Take(annotatedRows).Select(l => l.Replace('\t', ',')));
    }

    [Fact]
    public void WritesTheSubmissionZipAndScoresOnlyTheTrainChunk()
    {
        Video("TRAIN_3", "train_vid_0", 6, 6);
        Video("TEST", "test_vid_0", 5, 1);
        var options = new OpeRunOptions { TrackerName = "kcf", OutputDirectory = Path.Combine(_dir, "results") };
        var benchmark = BenchmarkDataset.Parse("trackingnet");
        Assert.Equal(DatasetFormat.TrackingNet, benchmark.Format);

        var plan = OpeRunner.Plan(benchmark, DatasetReader.Open(Path.Combine(_dir, "tn"), benchmark.Format), options);
        Assert.Equal(1, plan.Repetitions);
        var summary = OpeRunner.Run(plan, options);

        Assert.Empty(summary.Failures);
        Assert.NotNull(summary.Sequences.Single(s => s.Name == "train_vid_0").Metrics);
        Assert.Null(summary.Sequences.Single(s => s.Name == "test_vid_0").Metrics);
        Assert.NotNull(summary.Overall);
        string zipPath = Path.Combine(options.OutputDirectory, "kcf_trackingnet.zip");
        Assert.Equal(zipPath, summary.Submission);

        using (var zip = ZipFile.OpenRead(zipPath))
        {
            Assert.Equal(new[] { "test_vid_0.txt", "train_vid_0.txt" }, zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
            // The devkit's reader takes it: one row per frame, rows equal the result file rounded to 2 decimals.
            var rows = TrackingNetZip.ReadRows(zip, "test_vid_0.txt", zipPath);
            Assert.Equal(5, rows.Length);
            Assert.Equal(new[] { 205.0, 151, 17, 50 }, rows[0]); // Crossing GT row 1, the init box
            var own = OpeResultFiles.ReadBoxes(Path.Combine(options.OutputDirectory, "kcf", "test_vid_0.txt"));
            for (int i = 0; i < 5; i++)
                Assert.Equal(new[] { own[i].X, own[i].Y, own[i].Width, own[i].Height }.Select(v => Math.Round(v, 2)), rows[i].Select(v => Math.Round(v, 2)));
            using var reader = new StreamReader(zip.GetEntry("train_vid_0.txt")!.Open());
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(6, lines.Length);
            Assert.All(lines, l => Assert.Matches(@"^-?\d+\.\d{2}(,-?\d+\.\d{2}){3}$", l));
        }

        // Resume: nothing is tracked again and the zip is written again from the result files.
        File.Delete(zipPath);
        var again = OpeRunner.Run(OpeRunner.Plan(benchmark, DatasetReader.Open(Path.Combine(_dir, "tn"), benchmark.Format), options), options);
        Assert.All(again.Sequences, s => Assert.True(s.Resumed));
        Assert.True(File.Exists(zipPath));
    }

    [Fact]
    public void NumbersAreFormattedAsNumpySavetxtWritesThem()
    {
        // Hand-written: C printf rounding of the exact binary value (0.125 is a tie -> even; 2.675 is 2.67499999...).
        Assert.Equal("0.12", NumpyText.Fixed(0.125, 2));
        Assert.Equal("0.38", NumpyText.Fixed(0.375, 2));
        Assert.Equal("2.67", NumpyText.Fixed(2.675, 2));
        Assert.Equal("-1.500", NumpyText.Fixed(-1.5, 3));
        Assert.Equal("nan", NumpyText.Fixed(double.NaN, 2));
        Assert.Equal("0.00001235", NumpyText.Fixed(0.0000123456, 8));
        Assert.Equal("1.00,2.00,3.25,4.00\n", TrackingNetSubmission.EntryText([new BoxXywh(1, 2, 3.25, 4)]));
    }
}
