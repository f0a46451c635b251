using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TrackSharp.Training.Monitoring;
using static TorchSharp.torch;

namespace TrackSharp.Training.Engine;

/// <summary>
/// The model-independent training loop every family trainer runs: epochs × iterations of
/// data → schedule → zero_grad → forward → backward → (hook) → optimizer step (see <see cref="ITrainingTask{TBatch}"/>),
/// per-phase timing, monitors after each iteration, checkpoints at epoch ends (and every N iterations if asked),
/// resume from the newest checkpoint, and cancellation that stops after the current iteration and saves a
/// checkpoint, so a resumed run continues exactly where this one stopped.
/// </summary>
public sealed class TrainingLoop<TBatch>(ITrainingTask<TBatch> task, TrainingLoopOptions options)
{
    public ITrainingTask<TBatch> Task { get; } = task;

    public TrainingLoopOptions Options { get; } = options;

    public TrainSummary Run(CancellationToken cancellation = default)
    {
        Options.Validate();
        var clock = Stopwatch.StartNew();
        int perEpoch = Options.IterationsPerEpoch;
        long totalSteps = (long)Options.MaxEpoch * perEpoch;
        var at = new TrainingPosition(0, 0, perEpoch);
        string? lastCheckpoint = null;

        if (Options.Resume && Options.Checkpoints!.Latest() is { } latest)
        {
            var state = CheckpointStore.Load(latest, Task.Model, Task.Optimizer);
            if (state.IterationsPerEpoch != perEpoch)
                throw new ArgumentException(
                    $"cannot resume from '{latest.StatePath}': it was written with {state.IterationsPerEpoch} iterations per epoch, this run has {perEpoch}");
            if (Options.ConfigHash.Length > 0 && state.ConfigHash.Length > 0 && state.ConfigHash != Options.ConfigHash)
                Options.Logger.LogWarning("resuming from {Checkpoint}, which was written with another config (hash {Old}, now {New})",
                    latest.StatePath, state.ConfigHash, Options.ConfigHash);
            Task.Restore(state);
            at = TrainingPosition.FromStep(state.GlobalStep, perEpoch);
            lastCheckpoint = latest.StatePath;
            Options.Logger.LogInformation("resumed from {Checkpoint} at epoch {Epoch}, iteration {Iteration} (step {Step})",
                latest.StatePath, at.Epoch, at.Iteration, state.GlobalStep);
        }

        long startStep = at.GlobalStep;
        var timer = new PhaseTimer();
        IReadOnlyList<KeyValuePair<string, double>> lastLosses = [];
        bool cancelled = false;
        Task.Model.train();

        while (at.GlobalStep < totalSteps)
        {
            if (at.Iteration == 0 || at.GlobalStep == startStep) Task.BeginEpoch(at.Epoch);
            lastLosses = Iterate(at, timer);
            var done = at;
            at = at.Next();

            bool epochEnd = at.Iteration == 0;
            bool last = at.GlobalStep >= totalSteps;
            cancelled = cancellation.IsCancellationRequested && !last;
            bool save = Options.Checkpoints is not null && (cancelled || last
                || (epochEnd && (Options.CheckpointAfterEpoch is { } saveAfter
                    ? saveAfter(done.Epoch + 1)
                    : Options.CheckpointEveryEpochs > 0 && (done.Epoch + 1) % Options.CheckpointEveryEpochs == 0))
                || (Options.CheckpointEveryIterations > 0 && at.GlobalStep % Options.CheckpointEveryIterations == 0));
            if (save)
                lastCheckpoint = Save(done, at).StatePath;
            if (cancelled)
            {
                Options.Logger.LogWarning("training stopped at epoch {Epoch}, iteration {Iteration}; resume with --resume",
                    at.Epoch, at.Iteration);
                break;
            }
        }
        return new TrainSummary(startStep, at.GlobalStep, totalSteps, cancelled, lastCheckpoint, lastLosses, clock.Elapsed);
    }

    private IReadOnlyList<KeyValuePair<string, double>> Iterate(TrainingPosition at, PhaseTimer timer)
    {
        using var scope = torch.NewDisposeScope();
        timer.Reset();
        TBatch batch;
        using (timer.Measure(PhaseTimer.Data))
            batch = Task.NextBatch(at);
        var schedule = Task.Schedule(at);
        Task.Optimizer.zero_grad();
        StepOutput output;
        Tensor total;
        using (timer.Measure(PhaseTimer.Forward))
        {
            output = Task.Forward(batch, at);
            if (output.Losses.Count == 0)
                throw new InvalidOperationException("the training task's forward pass returned no losses");
            total = output.Losses[0].Value;
            for (int i = 1; i < output.Losses.Count; i++) total = total + output.Losses[i].Value;
        }
        using (timer.Measure(PhaseTimer.Backward))
            total.backward();
        Task.AfterBackward(at);
        using (timer.Measure(PhaseTimer.Optimizer))
            Task.Optimizer.step();

        var losses = output.Losses.Select(l => new KeyValuePair<string, double>(l.Key, l.Value.detach().cpu().ToDouble())).ToList();
        var report = new IterationReport(at.Epoch, Options.MaxEpoch, at.Iteration, at.IterationsPerEpoch, at.GlobalStep,
            schedule, losses, output.Extras, timer.Seconds.ToList(), PeakMemory.Bytes(Options.Device));
        foreach (var monitor in Options.Monitors) monitor.Update(report);
        return losses;
    }

    private SavedCheckpoint Save(TrainingPosition done, TrainingPosition next)
    {
        var state = new TrainerState
        {
            Epoch = next.Epoch,
            Iteration = next.Iteration,
            IterationsPerEpoch = next.IterationsPerEpoch,
            GlobalStep = next.GlobalStep,
            Seed = Options.Seed,
            ConfigHash = Options.ConfigHash,
            Values = new Dictionary<string, string>(Task.CheckpointValues(), StringComparer.Ordinal),
        };
        var saved = Options.Checkpoints!.Save(Task.Model, Task.Optimizer, state, done.Epoch);
        Options.Logger.LogInformation("checkpoint {Checkpoint} (step {Step})", saved.WeightsPath, state.GlobalStep);
        return saved;
    }
}
