using TrackSharp.Detection.Data;
using TrackSharp.Training.Engine;
using static TorchSharp.torch;

namespace TrackSharp.Detection.Fcos.Training;

/// <summary>
/// FCOS as an <see cref="ITrainingTask{TBatch}"/> in maskrcnn-benchmark's <c>do_train</c> order: the batch of
/// iteration <c>i</c> (1-based) from the iteration-based, aspect-grouped <see cref="DetectionDataLoader"/>, the
/// learning rates of <see cref="WarmupMultiStepLR"/> at scheduler step <c>i - 1</c> on every parameter group, a
/// train-mode forward, per-image target assignment on the locations of the head's feature maps, and the three
/// losses (<c>loss_cls</c>, <c>loss_reg</c>, <c>loss_centerness</c>, summed for backward). The engine runs the whole
/// run as one "epoch" of <c>SOLVER.MAX_ITER</c> iterations, so its global step is the reference's
/// <c>iteration - 1</c>; a resumed run restarts the loader at that step and sees the batches an uninterrupted one would.
/// </summary>
public sealed class FcosTrainingTask : ITrainingTask<DetectionBatch>, IDisposable
{
    /// <summary>The reference's loss names, in its dict order.</summary>
    public const string LossCls = "loss_cls", LossReg = "loss_reg", LossCenterness = "loss_centerness";

    private readonly FcosModel _model;
    private readonly FcosOptimizer _optimizer;
    private readonly DetectionDataLoader _loader;
    private readonly WarmupMultiStepLR _schedule;
    private readonly long _maxIter;
    private readonly FcosTargetAssigner _assigner;
    private readonly FcosLoss _loss;
    private IEnumerator<(long Iteration, DetectionBatch Batch)>? _batches;

    /// <param name="model">The model (the caller owns it).</param>
    /// <param name="optimizer">Its <c>make_optimizer</c> groups (this task disposes it).</param>
    /// <param name="loader">Training batches.</param>
    /// <param name="schedule">The learning-rate schedule.</param>
    /// <param name="maxIter">Iterations of the whole run (<c>SOLVER.MAX_ITER</c>).</param>
    public FcosTrainingTask(FcosModel model, FcosOptimizer optimizer, DetectionDataLoader loader, WarmupMultiStepLR schedule, long maxIter)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _loader = loader ?? throw new ArgumentNullException(nameof(loader));
        _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        _maxIter = maxIter;
        _assigner = FcosTargetAssigner.FromOptions(model.Options);
        _loss = FcosLoss.FromOptions(model.Options);
    }

    public nn.Module Model => _model;

    public optim.Optimizer Optimizer => _optimizer.Sgd;

    public DetectionBatch NextBatch(TrainingPosition at)
    {
        long iteration = at.GlobalStep + 1;
        if (_batches is null || !_batches.MoveNext() || _batches.Current.Iteration != iteration)
        {
            // First batch, or a resume / jump: restart the sampler at this iteration (start_iter).
            _batches?.Dispose();
            _batches = _loader.Training(_maxIter, at.GlobalStep).GetEnumerator();
            if (!_batches.MoveNext())
                throw new InvalidOperationException($"the detection loader has no batch for iteration {iteration} of {_maxIter}");
        }
        return _batches.Current.Batch;
    }

    public IReadOnlyList<KeyValuePair<string, double>> Schedule(TrainingPosition at)
    {
        _optimizer.SetLearningRates(_schedule, checked((int)at.GlobalStep));
        return [new("lr", _optimizer.LearningRate(0))];
    }

    public StepOutput Forward(DetectionBatch batch, TrainingPosition at)
    {
        var device = _model.parameters().First().device;
        var head = _model.forward(batch.Images.to(device));
        var strides = _model.Options.FpnStrides;
        var locations = new float[head.BoxCls.Length][];
        for (int l = 0; l < locations.Length; l++)
            locations[l] = FcosLocations.ForLevel((int)head.BoxCls[l].shape[2], (int)head.BoxCls[l].shape[3], strides[l]);
        var targets = batch.Targets.Select(t => _assigner.Assign(locations, t.Boxes, t.Labels)).ToArray();
        var losses = _loss.Compute(head, targets); // its tensors live in the loop's per-iteration scope
        return new StepOutput([new(LossCls, losses.LossCls), new(LossReg, losses.LossReg), new(LossCenterness, losses.LossCenterness)]);
    }

    public void Dispose()
    {
        _batches?.Dispose();
        _optimizer.Dispose();
    }
}
