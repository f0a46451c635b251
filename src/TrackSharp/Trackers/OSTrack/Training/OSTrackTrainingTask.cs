using TrackSharp.Data.Loading;
using TrackSharp.Data.Processing;
using TrackSharp.Training.Engine;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack.Training;

/// <summary>
/// OSTrack as a <see cref="ITrainingTask{TBatch}"/> of the shared <see cref="TrainingLoop{TBatch}"/>, in the order of
/// OSTrack's <c>LTRTrainer.cycle_dataset</c>: batch, the epoch's StepLR learning rates, the actor's train-mode forward
/// (CE keep rate of the 1-based epoch) and losses, backward, <c>clip_grad_norm_</c>, AdamW step.
/// <para>
/// Determinism: batches come from a deterministic <see cref="SampleLoader{TSample}"/> (batch b of epoch e depends on the
/// seed, e and b only) and the drop-path draws from a private generator reseeded from (seed, epoch, iteration) before
/// every forward, so a run resumed at any iteration continues with the data and the draws an uninterrupted run uses.
/// </para>
/// <para>
/// Validation (<c>DATA.VAL</c>, when a folder was given) runs after every <c>VAL_EPOCH_INTERVAL</c>-th epoch, at the start
/// of the next one (and after the last epoch through <see cref="ValidateIfDue"/>), in eval mode without gradients, as
/// the reference's <c>val</c> loader does; it changes no training state.
/// </para>
/// </summary>
public sealed class OSTrackTrainingTask : ITrainingTask<TensorBatch>, IDisposable
{
    private readonly OSTrackModel _model;
    private readonly OSTrackActor _actor;
    private readonly OSTrackOptimizer _optimizer;
    private readonly EpochBatchCursor<OSTrackSample> _batches;
    private readonly PeriodicValidation<OSTrackSample> _validation;
    private readonly int _seed;
    private readonly Generator _dropPathDraws = new(0);

    /// <param name="actor">The actor around the model (the caller owns the model).</param>
    /// <param name="optimizer">Its optimizer (this task disposes it).</param>
    /// <param name="loader">Training batches; its batches per epoch must be the run's iterations per epoch.</param>
    /// <param name="valLoader">Validation batches, or null for none.</param>
    /// <param name="valInterval"><c>TRAIN.VAL_EPOCH_INTERVAL</c>.</param>
    /// <param name="seed">Seed of the drop-path draws.</param>
    public OSTrackTrainingTask(OSTrackActor actor, OSTrackOptimizer optimizer, SampleLoader<OSTrackSample> loader,
        SampleLoader<OSTrackSample>? valLoader = null, int valInterval = 20, int seed = 0)
    {
        _actor = actor ?? throw new ArgumentNullException(nameof(actor));
        _model = actor.Model;
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _batches = new EpochBatchCursor<OSTrackSample>(loader);
        _validation = new PeriodicValidation<OSTrackSample>(valLoader, valInterval, ValidateBatch, training => _model.train(training));
        _seed = seed;
        foreach (var block in _model.Backbone.Blocks)
            if (block.DropPath is { } dp) dp.Generator = _dropPathDraws;
    }

    public nn.Module Model => _model;

    public optim.Optimizer Optimizer => _optimizer.AdamW;

    /// <summary>Receives each validation pass: (1-based epoch, mean statistics).</summary>
    public Action<int, IReadOnlyList<KeyValuePair<string, double>>>? Validated
    {
        get => _validation.Validated;
        set => _validation.Validated = value;
    }

    /// <summary>The gradient norm before clipping of the last step.</summary>
    public double LastGradNorm { get; private set; } = double.NaN;

    public void BeginEpoch(int epoch) => ValidateIfDue(epoch);

    /// <summary>Validates after (1-based) epoch <paramref name="epochsDone"/> when it is a validation epoch and has not
    /// been validated yet (see <see cref="PeriodicValidation{TSample}"/>).</summary>
    public void ValidateIfDue(int epochsDone) => _validation.RunIfDue(epochsDone);

    /// <summary>The eval forward of one validation batch: the actor's statistics at the 1-based epoch's CE keep rate.</summary>
    private IReadOnlyList<KeyValuePair<string, double>> ValidateBatch(TensorBatch batch, int epochsDone)
    {
        var device = _model.parameters().First().device;
        using var losses = _actor.Compute(batch[OSTrackSample.TemplateKey].to(device), batch[OSTrackSample.SearchKey].to(device),
            batch[OSTrackSample.SearchBoxKey].to(device), epochsDone);
        return losses.Status();
    }

    public TensorBatch NextBatch(TrainingPosition at) => _batches.Next(at);

    public IReadOnlyList<KeyValuePair<string, double>> Schedule(TrainingPosition at)
    {
        var lrs = _optimizer.SetLearningRates(at.Epoch);
        var values = new List<KeyValuePair<string, double>> { new("lr", lrs[0]), new("lr_backbone", lrs[1]) };
        if (_actor.KeepRate(at.Epoch + 1) is { } keep) values.Add(new("ce_keep_rate", keep));
        return values;
    }

    public StepOutput Forward(TensorBatch batch, TrainingPosition at)
    {
        _dropPathDraws.manual_seed(SampleSeeds.Derive(_seed, at.Epoch, at.Iteration, 0x0D));
        var device = _model.parameters().First().device;
        var losses = _actor.Compute(batch[OSTrackSample.TemplateKey].to(ScalarType.Float32, device),
            batch[OSTrackSample.SearchKey].to(ScalarType.Float32, device), batch[OSTrackSample.SearchBoxKey].to(device), at.Epoch + 1);
        return new StepOutput([new("total", losses.Total)], [new("stats", losses.Status())]);
    }

    public void AfterBackward(TrainingPosition at) => LastGradNorm = _optimizer.ClipGradients();

    public IReadOnlyDictionary<string, string> CheckpointValues() => _validation.CheckpointValues();

    public void Restore(TrainerState state) => _validation.Restore(state);

    public void Dispose()
    {
        foreach (var block in _model.Backbone.Blocks)
            if (block.DropPath is { } dp && ReferenceEquals(dp.Generator, _dropPathDraws)) dp.Generator = null;
        _batches.Dispose();
        _optimizer.Dispose();
        _dropPathDraws.Dispose();
    }
}
