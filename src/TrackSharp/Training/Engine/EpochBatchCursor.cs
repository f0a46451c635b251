using TrackSharp.Data.Loading;

namespace TrackSharp.Training.Engine;

/// <summary>
/// The batches of a <see cref="SampleLoader{TSample}"/> handed out by training position, for the family tasks'
/// <see cref="ITrainingTask{TBatch}.NextBatch"/>. The loop asks for one batch per iteration, while the loader streams
/// an epoch (with its worker threads and prefetch) from an enumerator; this keeps that enumerator open across
/// iterations and reopens it at a new epoch, at iteration 0, or at the first call — which, after a resume, starts the
/// stream at the resumed iteration of its epoch. The current batch is owned here and disposed at the next call.
/// </summary>
public sealed class EpochBatchCursor<TSample>(SampleLoader<TSample> loader) : IDisposable where TSample : class, ITensorSample
{
    private readonly SampleLoader<TSample> _loader = loader ?? throw new ArgumentNullException(nameof(loader));
    private IEnumerator<TensorBatch>? _batches;
    private int _batchesEpoch = -1;
    private TensorBatch? _current;

    /// <summary>The batch of iteration <c>at.Iteration</c> of epoch <c>at.Epoch</c>; valid until the next call.</summary>
    /// <exception cref="InvalidOperationException">The loader's epoch has no batch left for that position.</exception>
    public TensorBatch Next(TrainingPosition at)
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
        return _current;
    }

    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
        _batches?.Dispose();
        _batches = null;
    }
}
