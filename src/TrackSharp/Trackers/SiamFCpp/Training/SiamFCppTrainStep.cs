using System.Diagnostics;
using TorchSharp.Modules;
using TrackSharp.Data.Loading;
using TrackSharp.Training.Schedules;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>What one training iteration gives back (plain numbers: nothing to dispose).</summary>
/// <param name="Epoch">The epoch (0-based).</param>
/// <param name="Iteration">The iteration inside the epoch (0-based).</param>
/// <param name="LearningRate">The schedule's value (<c>schedule_info/lr</c>).</param>
/// <param name="GroupLearningRates">Each param group's lr (value × ratio), in group order.</param>
/// <param name="Losses">The weighted losses by the reference's names, in its order: <c>cls</c>, <c>ctr</c>, <c>reg</c>.</param>
/// <param name="Total">cls + ctr + reg.</param>
/// <param name="Extras">Per loss, its extras (<c>reg</c>: <c>iou</c>, the masked mean IoU).</param>
/// <param name="Forward">Forward pass and losses.</param>
/// <param name="Backward"><c>backward()</c>.</param>
/// <param name="Optimizer">The SGD step.</param>
public sealed record SiamFCppStepResult(int Epoch, int Iteration, double LearningRate, IReadOnlyList<double> GroupLearningRates,
    IReadOnlyDictionary<string, double> Losses, double Total, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Extras,
    TimeSpan Forward, TimeSpan Backward, TimeSpan Optimizer);

/// <summary>
/// One SiamFC++ training iteration as videoanalyst's <c>RegularTrainer</c> runs it, as library code:
/// <list type="number">
/// <item>param groups by regex (<see cref="LrMultiplier"/>, videoanalyst's <c>lr_multiplier</c>): group i holds every
/// parameter whose name matches its regex (re.search), in the model's parameter order; a parameter in two groups is
/// an error (torch refuses it too), a parameter in none is not optimised (<see cref="UngroupedParameters"/>);</item>
/// <item>SGD with the config's momentum, weight decay (on every parameter), dampening and nesterov;</item>
/// <item><see cref="BeginEpoch"/>: the <see cref="DynamicFreezer"/> once per epoch before its first iteration (frozen
/// parameters stay in their groups and get neither a gradient nor an update);</item>
/// <item><see cref="Run(int,int,Tensor,Tensor,Tensor,Tensor,Tensor)"/>: set every group's lr to schedule × ratio →
/// zero_grad → train-mode forward → <see cref="SiamFCppLoss"/> → backward → step (BN running statistics move with
/// the train-mode forward).</item>
/// </list>
/// The caller owns the model; dispose this to release the optimizer.
/// </summary>
public sealed class SiamFCppTrainStep : IDisposable
{
    private readonly SiamFCppModel _model;
    private readonly SiamFCppOptimizer _optimizer;

    /// <param name="model">The model to train (moved to train mode by each iteration).</param>
    /// <param name="schedule">The LR policy.</param>
    /// <param name="multipliers">Param groups with their lr ratios (at least one).</param>
    /// <param name="sgd">SGD hyper-parameters.</param>
    /// <param name="freezer">The freeze schedule; null = every parameter trains.</param>
    /// <param name="loss">Loss settings; null = the published ones.</param>
    /// <exception cref="ArgumentException">No group, a parameter matched by two groups, or a group that is empty.</exception>
    public SiamFCppTrainStep(SiamFCppModel model, MultiStageLrSchedule schedule, IReadOnlyList<LrMultiplier> multipliers,
        SiamFCppSgdSettings sgd, DynamicFreezer? freezer = null, SiamFCppLossConfig? loss = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _optimizer = new SiamFCppOptimizer(model, schedule, multipliers, sgd);
        Freezer = freezer;
        Loss = loss ?? SiamFCppLossConfig.Default;
    }

    public MultiStageLrSchedule Schedule => _optimizer.Schedule;

    public DynamicFreezer? Freezer { get; }

    public SiamFCppLossConfig Loss { get; }

    /// <summary>The optimizer (its state: momentum buffers).</summary>
    public SGD Optimizer => _optimizer.Sgd;

    /// <summary>The parameter names of each group, in group order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> GroupParameterNames => _optimizer.GroupParameterNames;

    /// <summary>Parameters no group matched: never updated.</summary>
    public IReadOnlyList<string> UngroupedParameters => _optimizer.UngroupedParameters;

    /// <summary>Applies the freeze schedule of <paramref name="epoch"/> (call once, before its first iteration);
    /// returns the frozen parameter names (empty without a freezer).</summary>
    public IReadOnlyList<string> BeginEpoch(int epoch) => Freezer?.Apply(_model, epoch) ?? [];

    /// <summary>One iteration on a collated batch of <see cref="SiamFCppTrainingSample"/>s.</summary>
    public SiamFCppStepResult Run(int epoch, int iteration, TensorBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Run(epoch, iteration, batch[SiamFCppTrainingSample.ImZKey], batch[SiamFCppTrainingSample.ImXKey],
            batch[SiamFCppTrainingSample.ClsGtKey], batch[SiamFCppTrainingSample.CtrGtKey], batch[SiamFCppTrainingSample.BoxGtKey]);
    }

    /// <summary>One iteration: lrs → zero_grad → forward + losses → backward → step.</summary>
    /// <param name="epoch">Epoch (0-based) for the schedule.</param>
    /// <param name="iteration">Iteration inside the epoch (0-based).</param>
    /// <param name="imZ">[B, 3, 127, 127] template crops, BGR 0..255 (any dtype; converted to float32).</param>
    /// <param name="imX">[B, 3, 303, 303] search crops.</param>
    /// <param name="clsGt">[B, 289, 1] float32.</param>
    /// <param name="ctrGt">[B, 289, 1] float32.</param>
    /// <param name="boxGt">[B, 289, 4] float32.</param>
    public SiamFCppStepResult Run(int epoch, int iteration, Tensor imZ, Tensor imX, Tensor clsGt, Tensor ctrGt, Tensor boxGt)
    {
        var (lr, groupLrs) = _optimizer.SetLearningRates(epoch, iteration);
        Optimizer.zero_grad();
        _model.train();
        var device = _model.parameters().First().device;
        using var scope = NewDisposeScope();
        var watch = Stopwatch.StartNew();
        var z = imZ.to(ScalarType.Float32, device);
        var x = imX.to(ScalarType.Float32, device);
        using var pred = _model.forward(z, x);
        using var losses = SiamFCppLoss.Compute(pred, clsGt.to(device), ctrGt.to(device), boxGt.to(device), Loss);
        var forward = watch.Elapsed;

        watch.Restart();
        losses.Total.backward();
        var backward = watch.Elapsed;

        watch.Restart();
        Optimizer.step();
        var step = watch.Elapsed;

        double cls = Item(losses.Cls), ctr = Item(losses.Ctr), reg = Item(losses.Reg);
        return new SiamFCppStepResult(epoch, iteration, lr, groupLrs,
            new Dictionary<string, double> { ["cls"] = cls, ["ctr"] = ctr, ["reg"] = reg },
            Item(losses.Total),
            new Dictionary<string, IReadOnlyDictionary<string, double>>
            {
                ["cls"] = new Dictionary<string, double>(),
                ["ctr"] = new Dictionary<string, double>(),
                ["reg"] = new Dictionary<string, double> { ["iou"] = Item(losses.Iou) },
            },
            forward, backward, step);
    }

    private static double Item(Tensor t) => t.detach().to(ScalarType.Float64).cpu().item<double>();

    public void Dispose() => _optimizer.Dispose();
}
