using OpenCvSharp;
using TrackSharp.Data.Datasets;
using TrackSharp.Evaluation.Runs;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Evaluation.Runs;

/// <summary>
/// <see cref="OpeRunner"/> on small fixtures written here: metrics of pre-written result files against hand-computed
/// values, the unreadable-frame rule, a failing first frame, the GOT-10k layout, and the result files' format.
/// Frames come from ../shared/data/otb/Crossing (360x240); trackers are the OpenCV KCF baseline (fast).
/// </summary>
public sealed class OpeRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracksharp-ope-").FullName;
    private static readonly string Crossing = Path.Combine(TestPaths.Shared, "data", "otb", "Crossing");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A sequence folder with the first <paramref name="frames"/> Crossing images (as 0001.jpg ...) and its
    /// ground truth rows (or <paramref name="gt"/>); <paramref name="corrupt"/> frames are replaced by garbage bytes.</summary>
    private string Sequence(string folder, int frames, string[]? gt = null, params int[] corrupt)
    {
        Directory.CreateDirectory(folder);
        for (int i = 0; i < frames; i++)
        {
            string target = Path.Combine(folder, $"{i + 1:D8}.jpg");
            if (corrupt.Contains(i)) File.WriteAllBytes(target, [0xFF, 0xD8, 0x00, 0x13, 0x37]);
            else File.Copy(Path.Combine(Crossing, "img", $"{i + 1:D4}.jpg"), target);
        }
        gt ??= File.ReadLines(Path.Combine(Crossing, "groundtruth_rect.txt")).Take(frames).ToArray();
        File.WriteAllLines(Path.Combine(folder, "groundtruth.txt"), gt);
        return folder;
    }

    private OpeRunOptions Options(string? tracker = "kcf") => new() { TrackerName = tracker!, OutputDirectory = Path.Combine(_dir, "results") };

    private static OpeRunSummary Run(BenchmarkDataset benchmark, string data, OpeRunOptions options)
    {
        var plan = OpeRunner.Plan(benchmark, DatasetReader.Open(data, benchmark.Format), options);
        return OpeRunner.Run(plan, options);
    }

    [Fact]
    public void ResumedResultFilesAreEvaluatedWithPysotMetricsComputedByHand()
    {
        // GT (10,10,10,10) on 4 frames; results: exact, shifted 5 px right, far away, exact.
        // IoU: 1, 50/150 = 1/3, 0, 1. Success (IoU > t, t = 0, 0.05, ..., 1): IoU 1 passes 20 thresholds (not t = 1),
        // 1/3 passes t = 0 .. 0.30 (7), 0 passes none: AUC = (20 + 7 + 0 + 20) / (4 * 21) = 47/84.
        // Centre errors 0, 5, 20*sqrt(2) = 28.3, 0: precision@20 = 3/4. Times 0.5, 0.25, NaN, 0.25: FPS = 3 / 1.0.
        string data = Path.Combine(_dir, "custom");
        Sequence(Path.Combine(data, "toy"), 4, ["10,10,10,10", "10,10,10,10", "10,10,10,10", "10,10,10,10"]);
        var options = Options();
        var layout = new OpeResultLayout(options.OutputDirectory, "kcf");
        OpeResultFiles.WriteBoxes(layout.BoxFile("toy"),
            [new BoxXywh(10, 10, 10, 10), new BoxXywh(15, 10, 10, 10), new BoxXywh(30, 30, 10, 10), new BoxXywh(10, 10, 10, 10)]);
        OpeResultFiles.WriteTimes(layout.TimeFile("toy"), [0.5, 0.25, double.NaN, 0.25]);

        var summary = Run(BenchmarkDataset.Parse("custom"), data, options);

        var s = Assert.Single(summary.Sequences);
        Assert.True(s.Resumed);
        Assert.Equal(47.0 / 84.0, s.Metrics!.Auc, 12);
        Assert.Equal(0.75, s.Metrics.Precision, 12);
        Assert.Equal(3.0, s.Fps, 12);
        Assert.Equal(47.0 / 84.0, summary.Overall!.Auc, 12);
        Assert.Equal(0.75, summary.Overall.Precision, 12);
    }

    [Fact]
    public void AnUnreadableFrameIsReportedAndTheLastBoxRepeated()
    {
        string data = Path.Combine(_dir, "custom");
        Sequence(Path.Combine(data, "cross"), 6, corrupt: 3);
        var warnings = new List<string>();
        var options = Options() with { Warning = w => { lock (warnings) warnings.Add(w); } };

        var summary = Run(BenchmarkDataset.Parse("custom"), data, options);

        var layout = new OpeResultLayout(options.OutputDirectory, "kcf");
        var boxes = File.ReadAllLines(layout.BoxFile("cross"));
        Assert.Equal(6, boxes.Length);
        Assert.Equal("205.0000,151.0000,17.0000,50.0000", boxes[0]); // Crossing GT row 1: 205 151 17 50
        Assert.Equal(boxes[2], boxes[3]);
        Assert.Equal("NaN", File.ReadAllLines(layout.TimeFile("cross"))[3]);
        string warning = Assert.Single(warnings);
        Assert.Contains("00000004.jpg", warning);
        Assert.Contains("frame 3", warning);
        Assert.Equal([warning], Assert.Single(summary.Sequences).Warnings);
        Assert.Empty(summary.Failures);
    }

    [Fact]
    public void AnUnreadableFirstFrameFailsThatSequenceOnly()
    {
        string data = Path.Combine(_dir, "custom");
        Sequence(Path.Combine(data, "a_bad"), 3, corrupt: 0);
        Sequence(Path.Combine(data, "b_good"), 3);
        var options = Options();

        var summary = Run(BenchmarkDataset.Parse("custom"), data, options);

        var failure = Assert.Single(summary.Failures);
        Assert.Equal("a_bad", failure.Name);
        Assert.Contains("00000001.jpg", failure.Message);
        Assert.Equal("b_good", Assert.Single(summary.Sequences).Name);
        Assert.False(File.Exists(new OpeResultLayout(options.OutputDirectory, "kcf").BoxFile("a_bad")));
    }

    [Fact]
    public void Got10kValWritesBothLayoutsWithThreeRepetitionsForANonDeterministicTracker()
    {
        // KCF is not declared deterministic: the GOT-10k toolkit's three runs, _001 .. _003, and one time column each.
        string data = Path.Combine(_dir, "got10k");
        Sequence(Path.Combine(data, "GOT-10k_Val_000001"), 5);
        var options = Options() with { MaxFrames = 4 };

        var summary = Run(BenchmarkDataset.Parse("got10k-val"), data, options);

        string tracker = Path.Combine(options.OutputDirectory, "kcf");
        string seq = Path.Combine(tracker, "GOT-10k_Val_000001");
        foreach (string file in new[]
                 {
                     "GOT-10k_Val_000001.txt", "times/GOT-10k_Val_000001_time.txt",
                     "GOT-10k_Val_000001/GOT-10k_Val_000001_001.txt", "GOT-10k_Val_000001/GOT-10k_Val_000001_002.txt",
                     "GOT-10k_Val_000001/GOT-10k_Val_000001_003.txt", "GOT-10k_Val_000001/GOT-10k_Val_000001_time.txt",
                 })
            Assert.Equal(4, File.ReadAllLines(Path.Combine(tracker, file)).Length);
        Assert.False(File.Exists(Path.Combine(seq, "GOT-10k_Val_000001_004.txt")));
        Assert.Equal(4, Assert.Single(summary.Sequences).Frames);
        // Toolkit formats: boxes '%.3f' comma separated, times '%.8f' one column per repetition.
        var got = File.ReadAllLines(Path.Combine(seq, "GOT-10k_Val_000001_001.txt"));
        Assert.Equal("205.000,151.000,17.000,50.000", got[0]); // Crossing GT row 1: 205 151 17 50
        Assert.All(got, l => Assert.Matches(@"^-?\d+\.\d{3}(,-?\d+\.\d{3}){3}$", l));
        Assert.All(File.ReadAllLines(Path.Combine(seq, "GOT-10k_Val_000001_time.txt")),
            l => Assert.Matches(@"^\d+\.\d{8},\d+\.\d{8},\d+\.\d{8}$", l));
        // Repetition 1 is the pysot file's run: the same boxes within the two roundings (0.0005 + 0.00005).
        var pysot = OpeResultFiles.ReadBoxes(Path.Combine(tracker, "GOT-10k_Val_000001.txt"));
        for (int i = 0; i < 4; i++)
        {
            var g = got[i].Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var p = new[] { pysot[i].X, pysot[i].Y, pysot[i].Width, pysot[i].Height };
            for (int k = 0; k < 4; k++) Assert.InRange(Math.Abs(g[k] - p[k]), 0, 0.00055);
        }
        Assert.Empty(Directory.EnumerateFiles(tracker, "*.tmp*", SearchOption.AllDirectories));

        // Resume: everything is complete, nothing is tracked again.
        var again = Run(BenchmarkDataset.Parse("got10k-val"), data, options);
        Assert.True(Assert.Single(again.Sequences).Resumed);
    }

    [Fact]
    public void ADeterministicTrackerRunsOnceAndAnIncompleteRepetitionSetIsRedone()
    {
        string data = Path.Combine(_dir, "got10k");
        Sequence(Path.Combine(data, "GOT-10k_Val_000001"), 3);
        var registry = new TrackSharp.Tracking.TrackerRegistry();
        registry.Register("kcf", "test", o => new TrackSharp.Tracking.Baselines.OpenCvTracker(
            TrackSharp.Tracking.Baselines.OpenCvTrackerKind.Kcf, o));
        Assert.False(registry.IsDeterministic("kcf"));
        registry.MarkDeterministic("KCF");
        Assert.True(registry.IsDeterministic("kcf"));
        var options = Options() with { Registry = registry };
        var benchmark = BenchmarkDataset.Parse("got10k-val");
        Assert.Equal(1, OpeRunner.Repetitions(benchmark, options));
        Assert.Equal(1, OpeRunner.Repetitions(BenchmarkDataset.Parse("otb"), Options()));
        Assert.Equal(3, OpeRunner.Repetitions(benchmark, Options()));
        // The built-in registry: the deep trackers are deterministic, the OpenCV baselines are not.
        foreach (string name in new[] { "nanotrack", "nanotrack-v2", "siamfcpp", "siamban", "ostrack" })
            Assert.True(TrackSharp.Tracking.TrackerRegistry.Default.IsDeterministic(name), name);
        Assert.False(TrackSharp.Tracking.TrackerRegistry.Default.IsDeterministic("csrt"));

        Run(benchmark, data, options);
        string seq = Path.Combine(options.OutputDirectory, "kcf", "GOT-10k_Val_000001");
        Assert.True(File.Exists(Path.Combine(seq, "GOT-10k_Val_000001_001.txt")));
        Assert.False(File.Exists(Path.Combine(seq, "GOT-10k_Val_000001_002.txt")));
        Assert.All(File.ReadAllLines(Path.Combine(seq, "GOT-10k_Val_000001_time.txt")), l => Assert.DoesNotContain(",", l));

        // Asked for three now: the single repetition is not a finished sequence, so it is run again.
        var plan = OpeRunner.Plan(benchmark, DatasetReader.Open(data, benchmark.Format), options with { Repetitions = 3 });
        Assert.Equal(1, plan.SequencesToTrack);
        Assert.Equal(9, plan.FramesToTrack);
    }

    [Fact]
    public void Got10kTestSequencesWithAFirstBoxOnlyAreTrackedButNotScored()
    {
        string data = Path.Combine(_dir, "got10k-test");
        Sequence(Path.Combine(data, "GOT-10k_Test_000001"), 5, ["205,151,17,50"]);
        var options = Options() with { Repetitions = 1 };

        var summary = Run(BenchmarkDataset.Parse("got10k-test"), data, options);

        var s = Assert.Single(summary.Sequences);
        Assert.Equal(5, s.Frames);
        Assert.Null(s.Metrics);
        Assert.Null(summary.Overall);
        Assert.Empty(summary.Failures);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(options.OutputDirectory, "kcf", "GOT-10k_Test_000001",
            "GOT-10k_Test_000001_001.txt")).Length);
    }

    [Fact]
    public void UnknownNamesAreRefusedBeforeAnyWork()
    {
        string data = Path.Combine(_dir, "custom");
        Sequence(Path.Combine(data, "cross"), 2);
        var dataset = DatasetReader.Open(data, DatasetFormat.Custom);
        var custom = BenchmarkDataset.Parse("custom");
        var e = Assert.Throws<ArgumentException>(() => BenchmarkDataset.Parse("otb2015"));
        Assert.Contains("got10k-val", e.Message);
        Assert.Throws<KeyNotFoundException>(() => OpeRunner.Plan(custom, dataset, Options("no-such-tracker")));
        Assert.Throws<KeyNotFoundException>(() => OpeRunner.Plan(custom, dataset, Options() with { Sequences = ["nope"] }));
        Assert.False(Directory.Exists(Path.Combine(_dir, "results")));
    }

    [Fact]
    public void ResultFilesUseFourDecimalsAndReadBack()
    {
        // Hand-written expectations: invariant culture, 4 decimals, comma separated, one line per frame.
        Assert.Equal("1.5000,2.0000,3.2500,-4.1235", OpeResultFiles.FormatBox(new BoxXywh(1.5, 2, 3.25, -4.12345)));
        string times = Path.Combine(_dir, "t.txt");
        OpeResultFiles.WriteTimes(times, [0.5, double.NaN, 0.00012345]);
        Assert.Equal(["0.500000", "NaN", "0.00012345"], File.ReadAllLines(times));
        var back = OpeResultFiles.ReadTimes(times);
        Assert.Equal(0.5, back[0]);
        Assert.True(double.IsNaN(back[1]));
        Assert.Equal(3, OpeResultFiles.CountLines(times));
        Assert.Equal(-1, OpeResultFiles.CountLines(Path.Combine(_dir, "missing.txt")));
        Assert.Equal(2 / 0.75, OpeResultFiles.Fps([0.5, double.NaN, 0.25, 0]), 12);
    }
}
