using TrackSharp.Data.Loading;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Schedules;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamBAN.Training;

/// <summary>
/// SiamBAN as an <see cref="ITrainingTask{TBatch}"/> of the shared <see cref="TrainingLoop{TBatch}"/>, in the order of
/// pysot's <c>tools/train.py</c>: before each epoch the backbone regime (frozen with BatchNorms in eval before
/// <c>BACKBONE.TRAIN_EPOCH</c>, <c>TRAIN_LAYERS</c> trainable from then on) and, when the run reaches TRAIN_EPOCH, a
/// rebuilt optimizer; per iteration the epoch's group lrs, the model forward, <c>select_cross_entropy_loss</c> and the
/// IoU loss weighted by <c>CLS_WEIGHT</c> / <c>LOC_WEIGHT</c>, backward, <c>clip_grad_norm_(all parameters, GRAD_CLIP)</c>
/// and the SGD step. The losses go to the loop as <c>cls_loss</c> and <c>loc_loss</c> (weighted: their sum is the
/// reference's <c>total_loss</c>).
/// </summary>
/// <remarks>
/// Departure from the reference: a batch with no positive cell (all pairs negative, or targets too small for any
/// point to fall inside the inner ellipse) makes the reference's IoU loss assert; here its loc loss is 0 (a zero
/// connected to the graph) and the step goes on with the cls loss.
/// </remarks>
public sealed class SiamBanTrainingTask : ITrainingTask<TensorBatch>, IDisposable
{
    private readonly nn.Module<Tensor, Tensor, (Tensor Cls, Tensor Loc)> _model;
    private readonly nn.Module _backbone;
    private readonly SiamBanOptimizer _optimizer;
    private readonly EpochBatchCursor<SiamBanTrainingSample> _batches;
    private readonly SiamBanTrainSettings _settings;
    private bool _resumedMidEpoch;

    public SiamBanTrainingTask(SiamBanModel model, SiamBanOptimizer optimizer, SampleLoader<SiamBanTrainingSample> loader,
        SiamBanTrainSettings settings)
        : this(model, (model ?? throw new ArgumentNullException(nameof(model))).Backbone, optimizer, loader, settings)
    {
    }

    /// <summary>
    /// The same task for any pysot-layout BAN model (NanoTrack too): <paramref name="model"/> maps (template, search) to
    /// cls logits [B, 2, S, S] and exp-ed l, t, r, b distances [B, 4, S, S]; <paramref name="backbone"/> is the part that
    /// BACKBONE.TRAIN_EPOCH / TRAIN_LAYERS freeze and unfreeze.
    /// </summary>
    public SiamBanTrainingTask(nn.Module<Tensor, Tensor, (Tensor Cls, Tensor Loc)> model, nn.Module backbone, SiamBanOptimizer optimizer,
        SampleLoader<SiamBanTrainingSample> loader, SiamBanTrainSettings settings)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _backbone = backbone ?? throw new ArgumentNullException(nameof(backbone));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _batches = new EpochBatchCursor<SiamBanTrainingSample>(loader);
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
    }

    public nn.Module Model => _model;

    public optim.Optimizer Optimizer => _optimizer.Sgd;

    /// <summary>The lr of each group [backbone, neck, head] in the current epoch.</summary>
    public IReadOnlyList<double> GroupLrs { get; private set; } = [];

    public void Restore(TrainerState state) => _resumedMidEpoch = state.Iteration != 0;

    public void BeginEpoch(int epoch)
    {
        // The reference's state at any epoch: backbone frozen (BatchNorms in eval), then TRAIN_LAYERS unfrozen from
        // TRAIN_EPOCH on. Applying both steps every epoch gives that state after a resume as well.
        PysotTrainRegime.ApplyBackboneRegime(_backbone, 0, int.MaxValue, []);
        if (epoch >= _settings.BackboneTrainEpoch)
            PysotTrainRegime.ApplyBackboneRegime(_backbone, epoch, _settings.BackboneTrainEpoch, _settings.BackboneTrainLayers);
        if (epoch == _settings.BackboneTrainEpoch && epoch > 0 && !_resumedMidEpoch)
            _optimizer.Rebuild();
        _resumedMidEpoch = false;
    }

    public TensorBatch NextBatch(TrainingPosition at) => _batches.Next(at);

    public IReadOnlyList<KeyValuePair<string, double>> Schedule(TrainingPosition at)
    {
        var (lr, groups) = _optimizer.SetEpoch(at.Epoch);
        GroupLrs = groups;
        var values = new List<KeyValuePair<string, double>> { new("lr", lr) };
        for (int g = 0; g < groups.Length; g++) values.Add(new($"lr/group{g + 1}", groups[g]));
        return values;
    }

    public StepOutput Forward(TensorBatch batch, TrainingPosition at)
    {
        var device = _model.parameters().First().device;
        var template = batch[SiamBanTrainingSample.TemplateKey].to(ScalarType.Float32, device);
        var search = batch[SiamBanTrainingSample.SearchKey].to(ScalarType.Float32, device);
        var labelCls = batch[SiamBanTrainingSample.LabelClsKey].to(device);
        var labelLoc = batch[SiamBanTrainingSample.LabelLocKey].to(device);
        var (cls, loc) = _model.forward(template, search);
        var logSoftmax = SiamBanLoss.ClsLogSoftmax(cls);
        var clsLoss = SiamBanLoss.SelectCrossEntropyLoss(logSoftmax, labelCls);
        var locLoss = labelCls.eq(1).any().item<bool>()
            ? SiamBanLoss.SelectIouLoss(loc, labelLoc, labelCls)
            : loc.sum() * 0.0;
        return new StepOutput(
            [new("cls_loss", clsLoss * _settings.ClsWeight), new("loc_loss", locLoss * _settings.LocWeight)],
            []);
    }

    public void AfterBackward(TrainingPosition at) =>
        nn.utils.clip_grad_norm_(_model.parameters(), _settings.GradClip);

    public void Dispose()
    {
        _batches.Dispose();
        _optimizer.Dispose();
    }
}
