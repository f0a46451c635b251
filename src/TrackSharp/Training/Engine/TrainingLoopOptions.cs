using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TrackSharp.Training.Monitoring;

namespace TrackSharp.Training.Engine;

/// <summary>Settings of a <see cref="TrainingLoop{TBatch}"/> run. Family trainers start from
/// <see cref="TrainRequest.LoopOptions"/> and change what their reference does differently with <c>with</c>.</summary>
public sealed record TrainingLoopOptions
{
    /// <summary>Epochs of the whole run (the reference's <c>max_epoch</c>).</summary>
    public required int MaxEpoch { get; init; }

    /// <summary>Iterations per epoch (the reference's <c>num_iterations</c>).</summary>
    public required int IterationsPerEpoch { get; init; }

    /// <summary>Where checkpoints go; null: none are written and resume is impossible.</summary>
    public CheckpointStore? Checkpoints { get; init; }

    /// <summary>Save after every N-th epoch (and always after the last one). 0: not at epoch ends.</summary>
    public int CheckpointEveryEpochs { get; init; } = 1;

    /// <summary>When set, replaces <see cref="CheckpointEveryEpochs"/>: called with the 1-based number of the epoch just
    /// finished, true = save (e.g. OSTrack's <c>epoch % 40 == 0 or epoch in [79, 159, 239] or epoch &gt; max − 5</c>).
    /// The last iteration and a cancelled run still always save.</summary>
    public Func<int, bool>? CheckpointAfterEpoch { get; init; }

    /// <summary>Save every N iterations done (maskrcnn-benchmark's <c>checkpoint_period</c>). 0: off.</summary>
    public long CheckpointEveryIterations { get; init; }

    /// <summary>Continue from <see cref="CheckpointStore.Latest"/> (a fresh start when there is none).</summary>
    public bool Resume { get; init; }

    public IReadOnlyList<ITrainingMonitor> Monitors { get; init; } = [];

    /// <summary>Stored in checkpoints; seeding itself is the trainer's job.</summary>
    public long Seed { get; init; }

    /// <summary>See <see cref="Engine.ConfigHash"/>; a resume with another hash logs a warning.</summary>
    public string ConfigHash { get; init; } = "";

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>For the "max mem" figure (see <see cref="PeakMemory"/>).</summary>
    public TorchSharp.torch.Device? Device { get; init; }

    internal void Validate()
    {
        if (MaxEpoch < 1) throw new ArgumentOutOfRangeException(nameof(MaxEpoch), MaxEpoch, "the run needs at least one epoch");
        if (IterationsPerEpoch < 1)
            throw new ArgumentOutOfRangeException(nameof(IterationsPerEpoch), IterationsPerEpoch, "an epoch needs at least one iteration");
        if (CheckpointEveryEpochs < 0 || CheckpointEveryIterations < 0)
            throw new ArgumentOutOfRangeException(nameof(CheckpointEveryEpochs), "checkpoint periods must not be negative");
        if (Resume && Checkpoints is null)
            throw new ArgumentException("resume needs a checkpoint folder");
    }
}
