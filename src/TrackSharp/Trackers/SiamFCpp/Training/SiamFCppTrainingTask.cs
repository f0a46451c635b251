using TrackSharp.Data.Loading;
using TrackSharp.Training.Engine;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>
/// SiamFC++ as a <see cref="ITrainingTask{TBatch}"/> of the shared <see cref="TrainingLoop{TBatch}"/>, in
/// videoanalyst's <c>RegularTrainer</c> order: the <see cref="DynamicFreezer"/> before each epoch, per iteration the
/// LR policy on every param group, a train-mode forward of (template, search) and the three losses
/// (<c>cls</c>, <c>ctr</c>, <c>reg</c> with the extra <c>iou</c>). Batches come from a deterministic
/// <see cref="SampleLoader{TSample}"/> (batch b of epoch e depends on the seed, e and b only), with prefetching
/// workers; a run resumed in the middle of an epoch continues with the batch it would have seen.
/// </summary>
public sealed class SiamFCppTrainingTask : ITrainingTask<TensorBatch>, IDisposable
{
    private readonly SiamFCppModel _model;
    private readonly SiamFCppOptimizer _optimizer;
    private readonly EpochBatchCursor<SiamFCppTrainingSample> _batches;
    private readonly DynamicFreezer? _freezer;
    private readonly SiamFCppLossConfig _loss;

    /// <param name="model">The model (the caller owns it).</param>
    /// <param name="optimizer">Its optimizer (this task disposes it).</param>
    /// <param name="loader">Batches; its batches per epoch must be the run's iterations per epoch.</param>
    /// <param name="freezer">The freeze schedule, or null.</param>
    /// <param name="loss">Loss settings; null = the published ones.</param>
    public SiamFCppTrainingTask(SiamFCppModel model, SiamFCppOptimizer optimizer, SampleLoader<SiamFCppTrainingSample> loader,
        DynamicFreezer? freezer = null, SiamFCppLossConfig? loss = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _batches = new EpochBatchCursor<SiamFCppTrainingSample>(loader);
        _freezer = freezer;
        _loss = loss ?? SiamFCppLossConfig.Default;
    }

    public nn.Module Model => _model;

    public optim.Optimizer Optimizer => _optimizer.Sgd;

    /// <summary>Parameters frozen in the current epoch (for the log).</summary>
    public IReadOnlyList<string> Frozen { get; private set; } = [];

    public void BeginEpoch(int epoch) => Frozen = _freezer?.Apply(_model, epoch) ?? [];

    public TensorBatch NextBatch(TrainingPosition at) => _batches.Next(at);

    public IReadOnlyList<KeyValuePair<string, double>> Schedule(TrainingPosition at)
    {
        var (lr, _) = _optimizer.SetLearningRates(at.Epoch, at.Iteration);
        return [new("lr", lr)];
    }

    public StepOutput Forward(TensorBatch batch, TrainingPosition at)
    {
        var device = _model.parameters().First().device;
        var z = batch[SiamFCppTrainingSample.ImZKey].to(ScalarType.Float32, device);
        var x = batch[SiamFCppTrainingSample.ImXKey].to(ScalarType.Float32, device);
        var pred = _model.forward(z, x);
        var losses = SiamFCppLoss.Compute(pred, batch[SiamFCppTrainingSample.ClsGtKey].to(device),
            batch[SiamFCppTrainingSample.CtrGtKey].to(device), batch[SiamFCppTrainingSample.BoxGtKey].to(device), _loss);
        double iou = losses.Iou.detach().to(ScalarType.Float64).cpu().item<double>();
        return new StepOutput(
            [new("cls", losses.Cls), new("ctr", losses.Ctr), new("reg", losses.Reg)],
            [new("reg", [new("iou", iou)])]);
    }

    public void Dispose()
    {
        _batches.Dispose();
        _optimizer.Dispose();
    }
}
