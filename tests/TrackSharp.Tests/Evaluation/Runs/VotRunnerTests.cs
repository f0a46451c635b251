using OpenCvSharp;
using TrackSharp.Data.Datasets;
using TrackSharp.Evaluation.Runs;
using TrackSharp.Evaluation.Vot;
using TrackSharp.Geometry;
using TrackSharp.Tests.Evaluation.Vot;
using TrackSharp.Tracking;
using Xunit;

namespace TrackSharp.Tests.Evaluation.Runs;

/// <summary>
/// <see cref="VotResetLoop"/> and <see cref="VotRunner"/>: the reset protocol's codes on a scripted tracker (expected
/// codes written by hand), a replay of the golden simulated result files (golden/metrics/inputs/results/vot/VOT2018,
/// produced by pysot's loop with pysot's vot_overlap), the written file read back, a real short KCF run on
/// ../shared/data/vot (bag), and resume.
/// </summary>
public sealed class VotRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracksharp-vot-").FullName;
    private static readonly string VotData = Path.Combine(TestPaths.Shared, "data", "vot");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A frame whose pixel (0,0) encodes its index, so a scripted tracker knows which frame it gets.</summary>
    private static Mat Frame(int index, int width, int height) =>
        new(height, width, MatType.CV_8UC3, new Scalar(index % 256, index / 256, 0));

    private static int IndexOf(Mat frame)
    {
        var p = frame.At<Vec3b>(0, 0);
        return p.Item0 + 256 * p.Item1;
    }

    /// <summary>An ITracker that returns, for frame i, the box <c>script(i)</c>, and records its calls.</summary>
    private sealed class ScriptedTracker(Func<int, BoxXywh> script) : ITracker
    {
        public List<int> Inits { get; } = [];
        public List<int> Tracks { get; } = [];
        public List<BoxXywh> InitBoxes { get; } = [];
        public string Name => "scripted";

        public void Initialize(Mat frame, BoxXywh box)
        {
            Inits.Add(IndexOf(frame));
            InitBoxes.Add(box);
        }

        public TrackResult Track(Mat frame)
        {
            int i = IndexOf(frame);
            Tracks.Add(i);
            return new TrackResult(script(i), 1, false);
        }

        public void Dispose() { }
    }

    // GT: the square 100..150 as an axis-aligned 8-value polygon, image 320x240.
    private static readonly VotRegion Square = VotRegion.FromValues([100, 100, 150, 100, 150, 150, 100, 150]);
    private static readonly BoxXywh OnTarget = new(100, 100, 50, 50);
    private static readonly BoxXywh FarAway = new(250, 200, 10, 10); // no pixel in common with the square

    private static (string[] Codes, ScriptedTracker Tracker) RunScripted(int length, params int[] far)
    {
        var tracker = new ScriptedTracker(i => far.Contains(i) ? FarAway : OnTarget);
        var gt = Enumerable.Repeat(Square, length).ToList();
        var result = VotResetLoop.Run(tracker, gt, length, i => Frame(i, 320, 240));
        Assert.Equal(length, result.Times.Length);
        return (result.Trajectory.Select(VotResetLoop.FormatRegion).ToArray(), tracker);
    }

    private const string B = "100.0000,100.0000,50.0000,50.0000";

    [Fact]
    public void AFailureIsCode2ThenFourSkippedFramesThenReinitialisation()
    {
        var (codes, tracker) = RunScripted(16, far: 7);
        Assert.Equal(["1", B, B, B, B, B, B, "2", "0", "0", "0", "0", "1", B, B, B], codes);
        Assert.Equal([0, 12], tracker.Inits);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 13, 14, 15], tracker.Tracks);
        // pysot's init box of an axis-aligned polygon 100..150: cx = 125, w = 50 + 1 = 51, x = 125 - 25 = 100.
        Assert.Equal(new BoxXywh(100, 100, 51, 51), tracker.InitBoxes[0]);
    }

    [Fact]
    public void AFailureTwoFramesBeforeTheEndIsNotReinitialised()
    {
        var (codes, tracker) = RunScripted(10, far: 7);
        Assert.Equal(["1", B, B, B, B, B, B, "2", "0", "0"], codes);
        Assert.Equal([0], tracker.Inits);
    }

    [Fact]
    public void AFailureExactlyFiveFramesBeforeTheEndReinitialisesAtTheLengthWhichIsNotWritten()
    {
        var (codes, tracker) = RunScripted(12, far: 7);
        Assert.Equal(["1", B, B, B, B, B, B, "2", "0", "0", "0", "0"], codes);
        Assert.Equal([0], tracker.Inits);
        // One frame more: the re-init frame 12 exists and is written.
        var (longer, _) = RunScripted(13, far: 7);
        Assert.Equal("1", longer[12]);
    }

    [Fact]
    public void AFailureRightAfterAReinitialisation()
    {
        var (codes, tracker) = RunScripted(20, 7, 13);
        Assert.Equal(["1", B, B, B, B, B, B, "2", "0", "0", "0", "0", "1", "2", "0", "0", "0", "0", "1", B], codes);
        Assert.Equal([0, 12, 18], tracker.Inits);
    }

    [Fact]
    public void InitBoxKeepsTheAreaOfARotatedPolygon()
    {
        // Square of side 10*sqrt(2) rotated 45 degrees: (10,0),(20,10),(10,20),(0,10). Extent 20x20 (A2 = 400),
        // A1 = sqrt(200)^2 = 200, s = sqrt(1/2): w = h = 20/sqrt(2) + 1, x = y = 10 - (w-1)/2 = 10 - 5*sqrt(2).
        var box = VotResetLoop.InitBox(VotRegion.FromValues([10, 0, 20, 10, 10, 20, 0, 10]));
        Assert.Equal(10 * Math.Sqrt(2) + 1, box.Width, 12);
        Assert.Equal(10 * Math.Sqrt(2) + 1, box.Height, 12);
        Assert.Equal(10 - 5 * Math.Sqrt(2), box.X, 12);
        Assert.Equal(10 - 5 * Math.Sqrt(2), box.Y, 12);
        Assert.Equal(new BoxXywh(3, 4, 5, 6), VotResetLoop.InitBox(VotRegion.Rectangle(3, 4, 5, 6)));
        // pysot's loop compares a 4-value ground truth as the inclusive-pixel polygon.
        Assert.Equal([3.0, 4, 3, 9, 7, 9, 7, 4], VotResetLoop.LoopGroundTruth(VotRegion.Rectangle(3, 4, 5, 6)).Values);
    }

    [Fact]
    public void TheWrittenFileReadsBackWithTheSameFailures()
    {
        var tracker = new ScriptedTracker(i => i is 7 or 13 ? FarAway : new BoxXywh(100.123456, 99.5, 50, 50.00004));
        var gt = Enumerable.Repeat(Square, 20).ToList();
        var loop = VotResetLoop.Run(tracker, gt, 20, i => Frame(i, 320, 240));
        string path = Path.Combine(_dir, "seq", "seq_001.txt");
        VotResetLoop.WriteTrajectory(path, loop.Trajectory);

        Assert.Equal("100.1235,99.5000,50.0000,50.0000", File.ReadAllLines(path)[1]);
        var back = VotTrajectoryFile.Read(path);
        Assert.Equal(20, back.Count);
        Assert.Equal([7, 13], VotStatistics.CalculateFailures(back));
        Assert.Equal(VotStatistics.CalculateFailures(loop.Trajectory), VotStatistics.CalculateFailures(back));
        Assert.Equal(2, loop.Failures);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir, "seq"), "*.tmp*"));
    }

    /// <summary>
    /// Replays golden/metrics/inputs/results/vot/VOT2018/&lt;trk&gt;/baseline/&lt;seq&gt;/&lt;seq&gt;_001.txt (simulated with pysot's
    /// loop and pysot's vot_overlap): a tracker that returns the file's box on box frames and a box outside the image
    /// on failure frames must reproduce every line, including the edge cases (vot-b f198, vot-d f25/f26, vot-e f115).
    /// </summary>
    [Theory]
    [InlineData("trk_good")]
    [InlineData("trk_noisy")]
    public void ReplayingTheGoldenResultFilesReproducesThem(string trackerName)
    {
        foreach (var sequence in VotGoldenData.Sequences)
        {
            string file = Path.Combine(VotGoldenData.ResultsDir, trackerName, "baseline", sequence.Name, sequence.Name + "_001.txt");
            var expected = VotTrajectoryFile.Read(file);
            var tracker = new ScriptedTracker(i =>
            {
                var r = expected[i];
                return r.Kind == VotRegionKind.Rectangle
                    ? new BoxXywh(r.Values[0], r.Values[1], r.Values[2], r.Values[3])
                    : new BoxXywh(-1000, -1000, 10, 10);
            });
            var loop = VotResetLoop.Run(tracker, sequence.GroundTruth, sequence.GroundTruth.Count,
                i => Frame(i, sequence.Width, sequence.Height));
            Assert.Equal(File.ReadAllLines(file).Where(l => l.Trim().Length > 0),
                loop.Trajectory.Select(VotResetLoop.FormatRegion));
        }
    }

    private OpeRunOptions Options(string tracker, TrackerRegistry? registry = null) => new()
    {
        TrackerName = tracker,
        OutputDirectory = Path.Combine(_dir, "results"),
        Sequences = ["bag"],
        MaxFrames = 30,
        Registry = registry ?? TrackerRegistry.Default,
    };

    private static VotRunSummary Run(OpeRunOptions options)
    {
        var benchmark = BenchmarkDataset.Parse("vot");
        var plan = VotRunner.Plan(benchmark, DatasetReader.Open(VotData, benchmark.Format), options);
        return VotRunner.Run(plan, options);
    }

    [Fact]
    public void ARealShortRunWritesTheBaselineLayoutAndArNumbersInRange()
    {
        var options = Options("kcf");
        var summary = Run(options);

        Assert.Empty(summary.Failures);
        var s = Assert.Single(summary.Sequences);
        Assert.False(s.Resumed);
        Assert.Equal(30, s.Frames);
        string folder = Path.Combine(options.OutputDirectory, "kcf", "baseline", "bag");
        var lines = File.ReadAllLines(Path.Combine(folder, "bag_001.txt"));
        Assert.Equal(30, lines.Length);
        Assert.Equal("1", lines[0]);
        Assert.All(lines, l => Assert.Matches(@"^([012]|-?\d+\.\d{4}(,-?\d+\.\d{4}){3})$", l));
        Assert.Equal(30, File.ReadAllLines(Path.Combine(folder, "bag_time.txt")).Length);
        Assert.Empty(Directory.EnumerateFiles(folder, "*.tmp*"));

        var failures = VotStatistics.CalculateFailures(VotTrajectoryFile.Read(Path.Combine(folder, "bag_001.txt")));
        Assert.Equal(failures.Length, s.Failures);
        var ar = summary.AccuracyRobustness!;
        Assert.InRange(ar.Accuracy, 0.0, 1.0);
        Assert.Equal(30, ar.TotalLength);
        Assert.Equal(failures.Length, ar.LostNumber);
        Assert.Equal(failures.Length / 30.0 * 100, ar.Robustness, 12);
        // EAO averages the expected-overlap curve over lengths 100..356 (VOT2018); a 30-frame run has no entry there,
        // so pysot's weighted mean is 0/0 = NaN. The curve itself has one entry per frame, the first 1.
        var eao = summary.Eao!;
        Assert.Equal(30, eao.ExpectedOverlaps.Length);
        Assert.Equal(1f, eao.ExpectedOverlaps[0]);
        Assert.All(eao.ExpectedOverlaps, v => Assert.InRange(v, 0f, 1f));
        Assert.True(double.IsNaN(eao.Eao));
        Assert.Equal(EaoWindow.Vot2018, summary.Window);
        Assert.True(s.Fps > 0);
    }

    [Fact]
    public void ResumeSkipsAFinishedSequence()
    {
        int inits = 0;
        var registry = new TrackerRegistry();
        registry.Register("still", "returns its init box", _ => new StillTracker(() => Interlocked.Increment(ref inits)));
        var options = Options("still", registry);

        var first = Run(options);
        Assert.False(Assert.Single(first.Sequences).Resumed);
        Assert.Equal(1, inits);
        string file = Path.Combine(options.OutputDirectory, "still", "baseline", "bag", "bag_001.txt");
        var written = File.GetLastWriteTimeUtc(file);

        var second = Run(options);
        var s = Assert.Single(second.Sequences);
        Assert.True(s.Resumed);
        Assert.Equal(1, inits); // not tracked again
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));
        Assert.Equal(first.AccuracyRobustness!.Accuracy, second.AccuracyRobustness!.Accuracy);
        Assert.Equal(first.Eao!.Eao, second.Eao!.Eao);

        // A truncated file is not complete: the sequence runs again.
        File.WriteAllLines(file, File.ReadAllLines(file).Take(10));
        var third = Run(options);
        Assert.False(Assert.Single(third.Sequences).Resumed);
        Assert.Equal(30, File.ReadAllLines(file).Length);
    }

    private sealed class StillTracker(Action onInit) : ITracker
    {
        private BoxXywh _box;
        public string Name => "still";
        public void Initialize(Mat frame, BoxXywh box) { _box = box; onInit(); }
        public TrackResult Track(Mat frame) => new(_box, 1, false);
        public void Dispose() { }
    }
}
