using static TorchSharp.torch;

namespace TrackSharp.Training.Engine;

/// <summary>
/// The model-specific half of a training run, driven by <see cref="TrainingLoop{TBatch}"/>. Per iteration the
/// loop calls, in video_analyst's <c>RegularTrainer</c> order: <see cref="NextBatch"/> (timed "data"),
/// <see cref="Schedule"/>, zero_grad, <see cref="Forward"/> (timed "fwd"), backward of the summed losses
/// (timed "bwd"), <see cref="AfterBackward"/>, optimizer.step() (timed "optim"). Everything runs inside one
/// dispose scope per iteration, so tensors created in these calls need no explicit disposal.
/// </summary>
public interface ITrainingTask<TBatch>
{
    nn.Module Model { get; }

    optim.Optimizer Optimizer { get; }

    /// <summary>Called before the first iteration of each epoch (also a resumed one): freezing schedules,
    /// data re-shuffles.</summary>
    void BeginEpoch(int epoch) { }

    /// <summary>The batch for this iteration. A deterministic loader derives it from the position, so a resumed
    /// run sees the same data as an uninterrupted one.</summary>
    TBatch NextBatch(TrainingPosition at);

    /// <summary>Sets this iteration's learning rates (and anything else scheduled) and returns the values to log,
    /// e.g. <c>[("lr", 0.0716)]</c>.</summary>
    IReadOnlyList<KeyValuePair<string, double>> Schedule(TrainingPosition at);

    /// <summary>Forward pass and losses in training mode.</summary>
    StepOutput Forward(TBatch batch, TrainingPosition at);

    /// <summary>Between backward and the optimizer step: gradient clipping, freezing by zeroing grads.</summary>
    void AfterBackward(TrainingPosition at) { }

    /// <summary>Trainer-specific key/values stored in each checkpoint's JSON.</summary>
    IReadOnlyDictionary<string, string> CheckpointValues() => new Dictionary<string, string>();

    /// <summary>Called after a resume loaded the weights and optimizer state, with the stored JSON.</summary>
    void Restore(TrainerState state) { }
}
