using TrackSharp.Data.Loading;
using TrackSharp.Data.Processing;
using TrackSharp.Training.Engine;
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
/// </summary>
public sealed class TrDiMPTrainingTask : ITrainingTask<TrDiMPTrainingBatch>, IDisposable
{
    private readonly TrDiMPNet _net;
    private readonly TrDiMPActor _actor;
    private readonly TrDiMPOptimizer _optimizer;
    private readonly SampleLoader<KlDimpSample> _loader;
    private IEnumerator<TensorBatch>? _batches;
    private int _batchesEpoch = -1;
    private TensorBatch? _current;

    /// <param name="actor">The actor around the network (the caller owns the network).</param>
    /// <param name="optimizer">Its optimizer (this task disposes it).</param>
    /// <param name="loader">Training samples; its batches per epoch must be the run's iterations per epoch.</param>
    public TrDiMPTrainingTask(TrDiMPActor actor, TrDiMPOptimizer optimizer, SampleLoader<KlDimpSample> loader)
    {
        _actor = actor ?? throw new ArgumentNullException(nameof(actor));
        _net = actor.Net;
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _loader = loader ?? throw new ArgumentNullException(nameof(loader));
    }

    public nn.Module Model => _net;

    public optim.Optimizer Optimizer => _optimizer.Adam;

    public void BeginEpoch(int epoch) => _net.SetTrainMode(true);

    public TrDiMPTrainingBatch NextBatch(TrainingPosition at)
    {
        _current?.Dispose();
        _current = null;
        if (_batches is null || _batchesEpoch != at.Epoch || at.Iteration == 0)
        {
            _batches?.Dispose();
            _batches = _loader.Epoch(at.Epoch, at.Iteration).GetEnumerator();
            _batchesEpoch = at.Epoch;
        }
        if (!_batches.MoveNext())
            throw new InvalidOperationException(
                $"the loader ran out of batches at epoch {at.Epoch}, iteration {at.Iteration} (it has {_loader.BatchesPerEpoch} per epoch)");
        _current = _batches.Current;
        return ToFramesFirst(_current, _net.parameters().First().device);
    }

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

    public void Dispose()
    {
        _current?.Dispose();
        _batches?.Dispose();
        _optimizer.Dispose();
    }
}
