using TrackSharp.Data.Datasets;
using TrackSharp.Evaluation.Vot;

namespace TrackSharp.Evaluation.Runs;

/// <summary>One sequence of a VOT plan: the frames to run, the ground-truth regions of those frames (raw polygons,
/// read from the annotation file), and whether complete result files already exist.</summary>
public sealed record VotPlannedSequence(TrackingSequence Sequence, int Frames, IReadOnlyList<VotRegion> GroundTruth, bool Resume);

/// <summary>What <see cref="VotRunner.Plan"/> found (see <see cref="OpePlan"/> for the one-pass equivalent).</summary>
public sealed record VotPlan(
    BenchmarkDataset Benchmark,
    ISequenceDataset Dataset,
    string Tracker,
    VotResultLayout Layout,
    EaoWindow Window,
    IReadOnlyList<VotPlannedSequence> Sequences)
{
    /// <summary>Frames of the sequences still to run (an upper bound of the frames tracked: skipped frames count too).</summary>
    public long FramesToTrack => Sequences.Where(s => !s.Resume).Sum(s => (long)s.Frames);
    public int SequencesToTrack => Sequences.Count(s => !s.Resume);
}

/// <summary>
/// One sequence's outcome: frames, speed (frames with a measured time over their summed seconds), resumed or not,
/// failures (code 2 frames of repetition 1), pysot's per-sequence accuracy (burn-in 10, bound (W, H)), its warnings
/// and result files.
/// </summary>
public sealed record VotSequenceResult(
    string Name,
    int Frames,
    int Width,
    int Height,
    double Fps,
    bool Resumed,
    int Failures,
    AccuracyRobustnessSequence Accuracy,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Files);

/// <summary>
/// The whole VOT run: per sequence in dataset order, pysot's A/R (<see cref="AccuracyRobustnessBenchmark"/>) and EAO
/// (<see cref="EaoBenchmark"/> over <see cref="Window"/>) over the sequences that ran, mean FPS over sequences.
/// <see cref="ResultsRoot"/> is the folder pysot's VOT benchmarks read (it holds <c>&lt;tracker&gt;/baseline/</c>).
/// </summary>
public sealed record VotRunSummary(
    string Tracker,
    string Benchmark,
    string DataPath,
    string ResultsRoot,
    string ResultFolder,
    int? MaxFrames,
    EaoWindow Window,
    IReadOnlyList<VotSequenceResult> Sequences,
    IReadOnlyList<OpeSequenceFailure> Failures,
    AccuracyRobustnessResult? AccuracyRobustness,
    EaoResult? Eao,
    double MeanFps);
