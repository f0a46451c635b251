using TrackSharp.Data.Loading;
using TrackSharp.Data.Processing;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP.Training;

/// <summary>
/// TrDiMP as a <see cref="ITrainingTask{TBatch}"/> of the shared <see cref="TrainingLoop{TBatch}"/>, in the order of ltr's
/// <c>LTRTrainer.cycle_dataset</c>: batch, the epoch's StepLR learning rates, the <see cref="TrDiMPActor"/> forward and
/// losses, backward, Adam step (no gradient clipping, as upstream). Frozen backbone layers
/// (<see cref="TrDiMPNetConfig.FrozenBackboneLayers"/>) are put back in eval mode at the start of every epoch, after the
/// loop's <c>train()</c>, as ltr's <c>DiMPnet.train</c> override does.
/// <para>
/// Determinism: batches come from a deterministic <see cref="SampleLoader{TSample}"/> (batch b of epoch e depends on the
/// seed, e and b only) and the training forward draws no random numbers, so a run resumed at any iteration continues
/// exactly as an uninterrupted one.
/// </para>
/// <para>
/// Validation (ltr's <c>loader_val</c>, when a loader is given) runs after every <c>epoch_interval</c>-th epoch, as
/// <c>LTRTrainer.train_epoch</c> does with <c>epoch % loader.epoch_interval == 0</c>: the whole network in eval mode
/// (<c>actor.train(False)</c>), no gradient, no optimizer step. TrackSharp runs it at the start of the next epoch (and
/// after the last one through <see cref="ValidateIfDue"/>), so it comes after that epoch's checkpoint; the validated
/// epoch is stored in the checkpoint's JSON so a resumed run neither repeats nor skips a pass. It draws only from its
/// own loader (its own seed) and changes no weight, buffer, optimizer state or training batch, so the training stream
/// stays bit-exact with or without it.
/// </para>
/// </summary>
public sealed class TrDiMPTrainingTask : ITrainingTask<TrDiMPTrainingBatch>, IDisposable
{
    private readonly TrDiMPNet _net;
    private readonly TrDiMPActor _actor;
    private readonly TrDiMPOptimizer _optimizer;

    private readonly EpochBatchCursor<KlDimpSample> _batches;
    private readonly PeriodicValidation<KlDimpSample> _validation;

    /// <param name="actor">The actor around the network (the caller owns the network).</param>
    /// <param name="optimizer">Its optimizer (this task disposes it).</param>
    /// <param name="loader">Training samples; its batches per epoch must be the run's iterations per epoch.</param>
    /// <param name="valLoader">Validation samples (<c>data.val</c>), or null for none.</param>
    /// <param name="valInterval"><c>data.val.epoch_interval</c>.</param>
    public TrDiMPTrainingTask(TrDiMPActor actor, TrDiMPOptimizer optimizer, SampleLoader<KlDimpSample> loader,
        SampleLoader<KlDimpSample>? valLoader = null, int valInterval = 5)
    {
        _actor = actor ?? throw new ArgumentNullException(nameof(actor));
        _net = actor.Net;
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _batches = new EpochBatchCursor<KlDimpSample>(loader);
        _validation = new PeriodicValidation<KlDimpSample>(valLoader, valInterval, ValidateBatch, _net.SetTrainMode);
    }

    public nn.Module Model => _net;

    public optim.Optimizer Optimizer => _optimizer.Adam;

    /// <summary>Receives every validation batch as a report (0-based epoch of the pass, 0-based batch, the actor's
    /// statistics under "stats", data and forward seconds): feed it to an <see cref="LtrTextMonitor"/> named "val" for
    /// ltr's <c>[val: N, i / n]</c> lines.</summary>
    public Action<IterationReport>? ValidationBatch
    {
        get => _validation.BatchValidated;
        set => _validation.BatchValidated = value;
    }

    /// <summary>Receives each finished validation pass: (1-based epoch, the statistics' means over its batches, in the
    /// actor's order), ltr's <c>AverageMeter</c> averages (equal batch sizes).</summary>
    public Action<int, IReadOnlyList<KeyValuePair<string, double>>>? Validated
    {
        get => _validation.Validated;
        set => _validation.Validated = value;
    }

    /// <summary>The 1-based epoch validated last (0: none).</summary>
    public int ValidatedEpoch => _validation.ValidatedEpoch;

    public void BeginEpoch(int epoch)
    {
        ValidateIfDue(epoch);
        _net.SetTrainMode(true);
    }

    /// <summary>Validates after (1-based) epoch <paramref name="epochsDone"/> when it is a validation epoch
    /// (<c>epochsDone % epoch_interval == 0</c>) not validated yet; leaves the network in training mode (see
    /// <see cref="PeriodicValidation{TSample}"/>).</summary>
    public void ValidateIfDue(int epochsDone) => _validation.RunIfDue(epochsDone);

    /// <summary>The eval forward of one validation batch: the actor's statistics, in its order.</summary>
    private IReadOnlyList<KeyValuePair<string, double>> ValidateBatch(TensorBatch batch, int epochsDone) =>
        _actor.Compute(ToFramesFirst(batch, _net.parameters().First().device)).Stats.ToList();

    public TrDiMPTrainingBatch NextBatch(TrainingPosition at) => ToFramesFirst(_batches.Next(at), _net.parameters().First().device);

    /// <summary>A loader batch (sequences, frames, ...) as ltr's <c>stack_dim=1</c> batch (frames, sequences, ...) on
    /// <paramref name="device"/>; the views belong to the caller's dispose scope.</summary>
    public static TrDiMPTrainingBatch ToFramesFirst(TensorBatch batch, Device device)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Tensor T(string key) => batch[key].transpose(0, 1).contiguous().to(device);
        return new TrDiMPTrainingBatch(T(KlDimpSample.TrainImagesKey), T(KlDimpSample.TestImagesKey), T(KlDimpSample.TrainAnnoKey),
            T(KlDimpSample.TestAnnoKey), T(KlDimpSample.TrainLabelKey), T(KlDimpSample.TestLabelKey), T(KlDimpSample.TestProposalsKey),
            T(KlDimpSample.ProposalDensityKey), T(KlDimpSample.GtDensityKey));
    }

    public IReadOnlyList<KeyValuePair<string, double>> Schedule(TrainingPosition at)
    {
        var lrs = _optimizer.SetEpoch(at.Epoch);
        var values = new List<KeyValuePair<string, double>>();
        for (int i = 0; i < lrs.Length; i++)
            values.Add(new(i == 0 ? "lr" : $"lr_{_optimizer.Groups[i].Module}", lrs[i]));
        return values;
    }

    public StepOutput Forward(TrDiMPTrainingBatch batch, TrainingPosition at)
    {
        var output = _actor.Compute(batch);
        return new StepOutput([new("total", output.Loss)], [new("stats", output.Stats.ToList())]);
    }

    public IReadOnlyDictionary<string, string> CheckpointValues() => _validation.CheckpointValues();

    public void Restore(TrainerState state) => _validation.Restore(state);

    public void Dispose()
    {
        _batches.Dispose();
        _optimizer.Dispose();
    }
}
