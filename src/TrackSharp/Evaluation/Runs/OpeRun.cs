using TrackSharp.Data.Datasets;
using TrackSharp.Evaluation.Pysot;
using TrackSharp.Tracking;

namespace TrackSharp.Evaluation.Runs;

/// <summary>What a one-pass evaluation runs and where it writes (see <see cref="OpeRunner"/>).</summary>
public sealed record OpeRunOptions
{
    /// <summary>Registry name of the tracker, e.g. "nanotrack-v2" or "kcf".</summary>
    public required string TrackerName { get; init; }

    /// <summary>Options for every tracker instance (weights, version, threads).</summary>
    public TrackerOptions TrackerOptions { get; init; } = new();

    /// <summary>Where trackers come from; default <see cref="TrackerRegistry.Default"/>.</summary>
    public TrackerRegistry Registry { get; init; } = TrackerRegistry.Default;

    /// <summary>Results root; the files go to <c>&lt;root&gt;/&lt;tracker&gt;/</c> (see <see cref="OpeResultLayout"/>).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Only these sequences, in this order (names as the dataset gives them); null runs all.</summary>
    public IReadOnlyList<string>? Sequences { get; init; }

    /// <summary>Sequences run at once, each by its own tracker instance. With more than one and
    /// <see cref="TrackerOptions.Threads"/> 0, every tracker runs with one backend thread.</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>Track and evaluate only the first N frames of every sequence (the first included).</summary>
    public int? MaxFrames { get; init; }

    /// <summary>GOT-10k layouts only: runs per sequence. Null: the GOT-10k toolkit's rule, 1 for a tracker the registry
    /// declares deterministic (<see cref="TrackerRegistry.IsDeterministic"/>), else 3.</summary>
    public int? Repetitions { get; init; }

    /// <summary>Redo sequences whose result files are already complete (default: skip them, resuming a run).</summary>
    public bool Overwrite { get; init; }

    public CancellationToken Cancellation { get; init; }

    /// <summary>Called after every tracked frame (from worker threads).</summary>
    public Action? FrameDone { get; init; }

    /// <summary>Called when a sequence is finished, tracked or resumed (from worker threads).</summary>
    public Action<OpeSequenceResult>? SequenceDone { get; init; }

    /// <summary>Called for every warning as it happens, e.g. an unreadable frame (from worker threads).</summary>
    public Action<string>? Warning { get; init; }
}

/// <summary>One sequence of a plan: the frames to evaluate and whether complete result files already exist.</summary>
public sealed record OpePlannedSequence(TrackingSequence Sequence, int Frames, bool Resume);

/// <summary>What <see cref="OpeRunner.Plan"/> found: the sequences, the tracker's name (its result folder), the runs per
/// sequence (GOT-10k repetitions, else 1) and the number of frames still to track (for a progress bar).</summary>
public sealed record OpePlan(
    BenchmarkDataset Benchmark,
    ISequenceDataset Dataset,
    string Tracker,
    OpeResultLayout Layout,
    IReadOnlyList<OpePlannedSequence> Sequences,
    int Repetitions = 1)
{
    public long FramesToTrack => Sequences.Where(s => !s.Resume).Sum(s => (long)s.Frames) * Repetitions;
    public int SequencesToTrack => Sequences.Count(s => !s.Resume);
}

/// <summary>
/// One sequence's outcome: frames, speed (frames with a measured time over their summed seconds, the init frame
/// included; repetition 1), whether it was resumed from existing files, its warnings, the result files and pysot's
/// metrics of repetition 1 against the ground truth of the same frames; null metrics when the ground truth has no box
/// after the first frame (GOT-10k and TrackingNet test splits: their servers score them).
/// </summary>
public sealed record OpeSequenceResult(
    string Name,
    int Frames,
    double Fps,
    bool Resumed,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Files,
    PysotSequenceMetrics? Metrics);

/// <summary>A sequence that could not be run (its message names the file or frame).</summary>
public sealed record OpeSequenceFailure(string Name, string Message);

/// <summary>The whole run: per sequence in dataset order, pysot's dataset numbers over those with metrics (null when
/// none has), mean FPS over sequences, and the TrackingNet or GOT-10k submission zip when one was written.</summary>
public sealed record OpeRunSummary(
    string Tracker,
    string Benchmark,
    string DataPath,
    string ResultFolder,
    int? MaxFrames,
    IReadOnlyList<OpeSequenceResult> Sequences,
    IReadOnlyList<OpeSequenceFailure> Failures,
    PysotOverallMetrics? Overall,
    double MeanFps,
    string? Submission = null);

/// <summary>A sequence cannot be evaluated (first frame unreadable, no valid first box, bad result file).</summary>
public sealed class OpeRunException(string message, Exception? inner = null) : Exception(message, inner);
