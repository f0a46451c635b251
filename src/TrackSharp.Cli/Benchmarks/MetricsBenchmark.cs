using System.Diagnostics;
using System.Text.Json.Serialization;
using TrackSharp.Evaluation.Got10k;
using TrackSharp.Evaluation.Pysot;
using TrackSharp.Evaluation.Pytracking;
using TrackSharp.Evaluation.Vot;
using TrackSharp.Geometry;

namespace TrackSharp.Cli.Benchmarks;

/// <summary>What <c>bench metrics</c> reports; the JSON keys are the property names given here.</summary>
public sealed record MetricsBenchmarkResult
{
    /// <summary>Wall time of the timed pass over every sequence and toolkit (the sum of <see cref="SecondsByToolkit"/>).</summary>
    [JsonPropertyName("seconds")] public double Seconds { get; init; }

    /// <summary>Wall time per toolkit: pysot, pytracking, ostrack, got10k, vot.</summary>
    [JsonPropertyName("seconds_by_toolkit")] public IReadOnlyDictionary<string, double> SecondsByToolkit { get; init; } =
        new Dictionary<string, double>();

    [JsonPropertyName("sequences")] public int Sequences { get; init; }

    /// <summary>Frames per sequence.</summary>
    [JsonPropertyName("frames")] public int Frames { get; init; }

    [JsonPropertyName("total_frames")] public long TotalFrames { get; init; }
    [JsonPropertyName("goal_seconds")] public double GoalSeconds { get; init; }

    /// <summary>True when <see cref="Seconds"/> is below <see cref="GoalSeconds"/>.</summary>
    [JsonPropertyName("goal_met")] public bool GoalMet { get; init; }

    /// <summary>Dataset-level numbers of the timed pass (they make the work observable and let two builds be compared).</summary>
    [JsonPropertyName("scores")] public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>();

    /// <summary>What was and was not timed, in words.</summary>
    [JsonPropertyName("notes")] public IReadOnlyList<string> Notes { get; init; } = [];

    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("warmup_sequences")] public int WarmupSequences { get; init; }
    [JsonPropertyName("generate_seconds")] public double GenerateSeconds { get; init; }
    [JsonPropertyName("quick")] public bool Quick { get; init; }
    [JsonPropertyName("processor_count")] public int ProcessorCount { get; init; }
    [JsonPropertyName("os")] public string Os { get; init; } = "";
    [JsonPropertyName("timestamp_utc")] public DateTime TimestampUtc { get; init; }
}

/// <summary>One synthetic sequence, in every input form the toolkits take (built before timing).</summary>
public sealed class SyntheticSequence
{
    public required string Name { get; init; }

    /// <summary>Ground truth as LaSOT annotates it: the box, or 0,0,0,0 on frames where the target is absent.</summary>
    public required BoxXywh[] GroundTruth { get; init; }

    /// <summary>Where the target really is on every frame (VOT annotates every frame).</summary>
    public required BoxXywh[] TrueBoxes { get; init; }

    /// <summary>The tracker's one-pass output: GT plus noise, a few drift failures, a box on every frame.</summary>
    public required BoxXywh[] Result { get; init; }

    /// <summary>Per frame: is the target visible.</summary>
    public required bool[] Visible { get; init; }

    // The toolkit-specific forms.
    public required PysotVideo PysotVideo { get; init; }
    public required Got10kValSequence Got10k { get; init; }
    public required IReadOnlyList<IReadOnlyList<BoxXywh>> Got10kRepetitions { get; init; }
    public required VotRegion[] VotGroundTruth { get; init; }
    /// <summary>The VOT (supervised) trajectory: code 1 at (re)initialisation, 2 at a failure, 0 while skipped.</summary>
    public required VotRegion[] VotResult { get; init; }
}

/// <summary>
/// Speed of the evaluation metrics (<c>src/TrackSharp/Evaluation</c>) on a deterministic synthetic benchmark held in
/// memory: ground-truth boxes drifting smoothly inside a 1280x720 frame, a tracker result = GT + noise with a few
/// failures, some absent frames. One warm-up pass on a small set, then one timed pass over every sequence, per toolkit.
/// </summary>
public static class MetricsBenchmark
{
    public const int DefaultSequences = 280, DefaultFrames = 2500;
    public const int QuickSequences = 12, QuickFrames = 300;
    public const int DefaultSeed = 20260702;
    public const double GoalSeconds = 1.0;
    public const int ImageWidth = 1280, ImageHeight = 720;
    public const int WarmupSequenceCount = 8;

    /// <summary>Toolkit keys of <see cref="MetricsBenchmarkResult.SecondsByToolkit"/>, in the order they run.</summary>
    public static IReadOnlyList<string> Toolkits { get; } = ["pysot", "pytracking", "ostrack", "got10k", "vot"];

    public static IReadOnlyList<string> Notes { get; } =
    [
        "pysot: OPEBenchmark eval_success/eval_precision/eval_norm_precision per sequence (LaSOT absent rule) + show_result overall",
        "pytracking, ostrack: calc_seq_err_robust (lasot rules, visibility flags) + per-sequence curves + overall, one key per GT-validity convention",
        "got10k: ExperimentGOT10k.report arithmetic (AO, SR, 101-point success curve, per sequence and pooled) through the in-memory Got10kValReport.Evaluate; reading result files is not timed",
        "vot: pysot vot_overlap for every frame of a rectangle trajectory (codes 1/2/0 around failures), bounds 1280x720",
        "not timed: TrackingNet (its evaluator reads zip archives), VOT A/R and EAO, GOT-10k OTB/LaSOT report (file based)",
    ];

    /// <param name="sequences">Sequences in the timed pass.</param>
    /// <param name="frames">Frames per sequence.</param>
    /// <param name="quick">Recorded in the result (the caller picks the smaller sizes).</param>
    /// <param name="stage">Called with a short description before each stage.</param>
    public static MetricsBenchmarkResult Run(int sequences, int frames, bool quick, int seed = DefaultSeed,
        Action<string>? stage = null)
    {
        if (sequences < 1) throw new ArgumentOutOfRangeException(nameof(sequences), sequences, "--sequences must be at least 1");
        if (frames < 2) throw new ArgumentOutOfRangeException(nameof(frames), frames, "--frames must be at least 2");

        stage?.Invoke($"generating {sequences} x {frames} frames");
        long genStart = Stopwatch.GetTimestamp();
        var data = Generate(sequences, frames, seed);
        double generateSeconds = Stopwatch.GetElapsedTime(genStart).TotalSeconds;

        stage?.Invoke("warm-up");
        int warmupCount = Math.Min(WarmupSequenceCount, sequences);
        var warmup = Generate(warmupCount, Math.Min(frames, 500), seed + 1);
        RunToolkits(warmup);

        stage?.Invoke("timed pass");
        var (byToolkit, scores) = RunToolkits(data);
        double total = byToolkit.Values.Sum();

        return new MetricsBenchmarkResult
        {
            Seconds = total,
            SecondsByToolkit = byToolkit,
            Sequences = sequences,
            Frames = frames,
            TotalFrames = (long)sequences * frames,
            GoalSeconds = GoalSeconds,
            GoalMet = total < GoalSeconds,
            Scores = scores,
            Notes = Notes,
            Seed = seed,
            WarmupSequences = warmupCount,
            GenerateSeconds = generateSeconds,
            Quick = quick,
            ProcessorCount = Environment.ProcessorCount,
            Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            TimestampUtc = DateTime.UtcNow,
        };
    }

    /// <summary>Runs every toolkit over <paramref name="data"/>, timing each; returns the seconds and the dataset scores.</summary>
    public static (Dictionary<string, double> Seconds, Dictionary<string, double> Scores) RunToolkits(IReadOnlyList<SyntheticSequence> data)
    {
        var seconds = new Dictionary<string, double>();
        var scores = new Dictionary<string, double>();

        seconds["pysot"] = Time(() =>
        {
            var perSequence = new PysotSequenceMetrics[data.Count];
            for (int i = 0; i < data.Count; i++)
                perSequence[i] = OpeBenchmark.EvaluateSequence(data[i].PysotVideo, data[i].Result);
            var overall = OpeBenchmark.Overall(perSequence);
            scores["pysot_auc"] = overall.Auc;
            scores["pysot_precision"] = overall.Precision;
            scores["pysot_norm_precision"] = overall.NormPrecision;
        });

        foreach (var (key, convention) in new[] { ("pytracking", PytrackingConvention.Pytracking), ("ostrack", PytrackingConvention.OSTrack) })
        {
            seconds[key] = Time(() =>
            {
                var curves = new PytrackingSequenceCurves[data.Count];
                for (int i = 0; i < data.Count; i++)
                {
                    var s = data[i];
                    var errors = SequenceErrors.Compute(s.Name, s.Result, s.GroundTruth, PytrackingDataset.Lasot, convention, s.Visible);
                    curves[i] = PytrackingSequenceCurves.FromErrors(s.Name, errors, excludeInvalidFrames: false);
                }
                var overall = PytrackingOverall.Compute(curves);
                scores[$"{key}_auc"] = overall.Auc;
                scores[$"{key}_precision"] = overall.Precision;
                scores[$"{key}_norm_precision"] = overall.NormPrecision;
            });
        }

        seconds["got10k"] = Time(() =>
        {
            var sequences = new Got10kValSequence[data.Count];
            var results = new IReadOnlyList<IReadOnlyList<BoxXywh>>[data.Count];
            for (int i = 0; i < data.Count; i++)
            {
                sequences[i] = data[i].Got10k;
                results[i] = data[i].Got10kRepetitions;
            }
            var report = Got10kValReport.Evaluate(sequences, results);
            scores["got10k_ao"] = report.AverageOverlap;
            scores["got10k_sr50"] = report.SuccessRate50;
            scores["got10k_sr75"] = report.SuccessRate75;
        });

        seconds["vot"] = Time(() =>
        {
            double sum = 0;
            long count = 0;
            for (int i = 0; i < data.Count; i++)
            {
                var bounds = RegionBounds.FromSize(ImageWidth, ImageHeight);
                var overlaps = VotOverlap.Trajectory(data[i].VotResult, data[i].VotGroundTruth, bounds);
                foreach (double o in overlaps)
                {
                    if (double.IsNaN(o)) continue;
                    sum += o;
                    count++;
                }
            }
            scores["vot_mean_overlap"] = sum / count;
        });

        return (seconds, scores);
    }

    private static double Time(Action work)
    {
        long start = Stopwatch.GetTimestamp();
        work();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>The synthetic benchmark: deterministic for a seed.</summary>
    public static SyntheticSequence[] Generate(int sequences, int frames, int seed)
    {
        var rng = new Random(seed);
        var data = new SyntheticSequence[sequences];
        for (int s = 0; s < sequences; s++)
            data[s] = GenerateSequence($"seq-{s + 1:D4}", frames, new Random(rng.Next()));
        return data;
    }

    private static SyntheticSequence GenerateSequence(string name, int frames, Random rng)
    {
        // Target: size 30..220 px, aspect 0.5..2, moving with a smoothly varying velocity, bouncing off the borders.
        double w = 30 + rng.NextDouble() * 190, h = w * (0.5 + rng.NextDouble() * 1.5);
        h = Math.Min(h, ImageHeight * 0.6);
        double cx = w / 2 + rng.NextDouble() * (ImageWidth - w), cy = h / 2 + rng.NextDouble() * (ImageHeight - h);
        double vx = Gaussian(rng) * 2, vy = Gaussian(rng) * 2, scale = 1;

        var truth = new BoxXywh[frames];
        for (int t = 0; t < frames; t++)
        {
            vx = 0.95 * vx + Gaussian(rng) * 0.6;
            vy = 0.95 * vy + Gaussian(rng) * 0.6;
            scale = Math.Clamp(scale * Math.Exp(Gaussian(rng) * 0.004), 0.6, 1.6);
            double bw = w * scale, bh = h * scale;
            cx += vx;
            cy += vy;
            // Boxes may touch the left/top border (x or y = 0), where pytracking and OSTrack disagree on validity.
            if (cx - bw / 2 < 0) { cx = bw / 2; vx = Math.Abs(vx); }
            if (cx + bw / 2 > ImageWidth) { cx = ImageWidth - bw / 2; vx = -Math.Abs(vx); }
            if (cy - bh / 2 < 0) { cy = bh / 2; vy = Math.Abs(vy); }
            if (cy + bh / 2 > ImageHeight) { cy = ImageHeight - bh / 2; vy = -Math.Abs(vy); }
            // Annotations are integer pixels, as in the benchmarks' text files.
            truth[t] = new BoxXywh(Math.Round(cx - bw / 2), Math.Round(cy - bh / 2), Math.Round(bw), Math.Round(bh));
        }

        // Absent stretches (about one sequence in three, 20..120 frames each), never on frame 0.
        var visible = Enumerable.Repeat(true, frames).ToArray();
        int absentStretches = rng.NextDouble() < 0.35 ? 1 + rng.Next(3) : 0;
        for (int k = 0; k < absentStretches; k++)
            Mark(visible, 1 + rng.Next(frames - 1), 20 + rng.Next(100), false);

        // Tracker failures: 0..3 stretches of 15..150 frames where the box drifts away and then snaps back.
        var failed = new bool[frames];
        int failures = rng.Next(4);
        for (int k = 0; k < failures; k++)
            Mark(failed, 1 + rng.Next(frames - 1), 15 + rng.Next(135), true);

        var result = new BoxXywh[frames];
        var gt = new BoxXywh[frames];
        double driftX = 0, driftY = 0;
        for (int t = 0; t < frames; t++)
        {
            var b = truth[t];
            gt[t] = visible[t] ? b : new BoxXywh(0, 0, 0, 0);
            if (failed[t] || !visible[t])
            {
                driftX += Gaussian(rng) * 6;
                driftY += Gaussian(rng) * 6;
            }
            else
            {
                driftX = 0;
                driftY = 0;
            }
            double nx = Gaussian(rng) * 0.04 * b.Width + driftX, ny = Gaussian(rng) * 0.04 * b.Height + driftY;
            double sw = Math.Exp(Gaussian(rng) * 0.06), sh = Math.Exp(Gaussian(rng) * 0.06);
            double pw = Math.Max(2, b.Width * sw), ph = Math.Max(2, b.Height * sh);
            double px = Math.Clamp(b.X + b.Width / 2 + nx - pw / 2, -pw / 2, ImageWidth - pw / 2);
            double py = Math.Clamp(b.Y + b.Height / 2 + ny - ph / 2, -ph / 2, ImageHeight - ph / 2);
            // Trackers write a few decimals.
            result[t] = new BoxXywh(Math.Round(px, 4), Math.Round(py, 4), Math.Round(pw, 4), Math.Round(ph, 4));
        }
        result[0] = gt[0];

        return new SyntheticSequence
        {
            Name = name,
            GroundTruth = gt,
            TrueBoxes = truth,
            Result = result,
            Visible = visible,
            PysotVideo = new PysotVideo(name, gt, visible.Select(v => v ? 1 : 0).ToArray()),
            Got10k = new Got10kValSequence(name, gt, visible.Select((v, t) => v ? 1 + t * 7 % 8 : 0).ToArray(),
                visible.Select(v => v ? 0 : 1).ToArray(), ImageWidth, ImageHeight),
            Got10kRepetitions = [result],
            VotGroundTruth = truth.Select(b => VotRegion.Rectangle(b.X, b.Y, b.Width, b.Height)).ToArray(),
            VotResult = VotTrajectory(truth, result, failed),
        };
    }

    /// <summary>
    /// The supervised VOT protocol's output for this tracker: frame 0 is code 1; a failure writes code 2, the next
    /// four frames 0 (skipped), then the tracker is re-initialised (code 1) and follows its boxes again.
    /// </summary>
    private static VotRegion[] VotTrajectory(BoxXywh[] truth, BoxXywh[] result, bool[] failed)
    {
        const int skipped = 4;
        var trajectory = new VotRegion[truth.Length];
        trajectory[0] = VotRegion.Special(VotRegion.InitCode);
        for (int t = 1; t < truth.Length; t++)
        {
            if (failed[t] && !failed[t - 1])
            {
                trajectory[t] = VotRegion.Special(VotRegion.FailureCode);
                int end = Math.Min(truth.Length, t + 1 + skipped);
                for (int u = t + 1; u < end; u++) trajectory[u] = VotRegion.Special(VotRegion.SkipCode);
                if (end < truth.Length) trajectory[end] = VotRegion.Special(VotRegion.InitCode);
                t = end;
                continue;
            }
            // After the reset the tracker follows the target again (one pixel off).
            var b = failed[t] ? truth[t] with { X = truth[t].X + 1 } : result[t];
            trajectory[t] = VotRegion.Rectangle(b.X, b.Y, b.Width, b.Height);
        }
        return trajectory;
    }

    private static void Mark(bool[] flags, int start, int length, bool value)
    {
        for (int t = start; t < Math.Min(flags.Length, start + length); t++) flags[t] = value;
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
