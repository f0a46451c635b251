using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TrackSharp.Config;
using TrackSharp.Training.Monitoring;

namespace TrackSharp.Training.Engine;

/// <summary>Everything the <c>train</c> verb (or a program) hands a family trainer.</summary>
public sealed class TrainRequest
{
    /// <summary>The loaded experiment config (defaults, file, overrides).</summary>
    public required ExperimentConfig Config { get; init; }

    /// <summary>Run folder: checkpoints, TensorBoard logs (<c>&lt;out&gt;/logs/tensorboard</c> by convention), the resolved config.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Continue from the newest checkpoint in the run folder.</summary>
    public bool Resume { get; init; }

    /// <summary>Overrides the config's epoch count (--epochs).</summary>
    public int? Epochs { get; init; }

    /// <summary>Torch CPU threads (--threads); null: the trainer's default.</summary>
    public int? Threads { get; init; }

    /// <summary>Dataset roots by name (--data NAME=PATH), e.g. GOT10K → /data/GOT-10k.</summary>
    public IReadOnlyDictionary<string, string> DataRoots { get; init; } = new Dictionary<string, string>();

    /// <summary>Monitors the caller adds (text lines, progress); the trainer adds its own TensorBoard monitor.</summary>
    public IReadOnlyList<ITrainingMonitor> Monitors { get; init; } = [];

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The TensorBoard folder of this run: <c>&lt;out&gt;/logs/tensorboard</c> (video_analyst's layout).</summary>
    public string TensorBoardDirectory => Path.Combine(OutputDirectory, "logs", "tensorboard");

    /// <summary>The checkpoint folder of this run: <c>&lt;out&gt;/checkpoints</c>.</summary>
    public string CheckpointDirectory => Path.Combine(OutputDirectory, "checkpoints");

    /// <summary>
    /// The loop options every family trainer starts from: <see cref="Resume"/>, the caller's <see cref="Monitors"/>
    /// followed by the trainer's own, the seed, the hash of <see cref="Config"/> and <see cref="Logger"/>; a checkpoint
    /// after every epoch.
    /// </summary>
    public TrainingLoopOptions LoopOptions(int maxEpoch, int iterationsPerEpoch, CheckpointStore checkpoints, long seed,
        params ITrainingMonitor[] trainerMonitors) => new()
    {
        MaxEpoch = maxEpoch,
        IterationsPerEpoch = iterationsPerEpoch,
        Checkpoints = checkpoints,
        Resume = Resume,
        Monitors = [.. Monitors, .. trainerMonitors],
        Seed = seed,
        ConfigHash = Engine.ConfigHash.Of(Config),
        Logger = Logger,
    };
}
