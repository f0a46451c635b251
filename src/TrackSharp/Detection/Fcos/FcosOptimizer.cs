using TorchSharp.Modules;
using TrackSharp.Config;
using static TorchSharp.torch;

namespace TrackSharp.Detection.Fcos;

/// <summary>maskrcnn-benchmark <c>SOLVER.*</c> values that <see cref="FcosOptimizer"/> uses.</summary>
public sealed record FcosSolverOptions
{
    public double BaseLr { get; init; } = 0.01;
    public double BiasLrFactor { get; init; } = 2;
    public double WeightDecay { get; init; } = 1e-4;
    public double WeightDecayBias { get; init; }
    public double Momentum { get; init; } = 0.9;

    public static FcosSolverOptions FromConfig(ExperimentConfig cfg) => new()
    {
        BaseLr = cfg.Get("SOLVER.BASE_LR", 0.01),
        BiasLrFactor = cfg.Get("SOLVER.BIAS_LR_FACTOR", 2.0),
        WeightDecay = cfg.Get("SOLVER.WEIGHT_DECAY", 1e-4),
        WeightDecayBias = cfg.Get("SOLVER.WEIGHT_DECAY_BIAS", 0.0),
        Momentum = cfg.Get("SOLVER.MOMENTUM", 0.9),
    };
}

/// <summary>
/// maskrcnn-benchmark's <c>make_optimizer</c>: one SGD parameter group per trainable parameter (frozen ones are
/// skipped); a name containing "bias" gets <c>BASE_LR * BIAS_LR_FACTOR</c> and <c>WEIGHT_DECAY_BIAS</c>, every other
/// parameter (GroupNorm weights and the per-level scales included) <c>BASE_LR</c> and <c>WEIGHT_DECAY</c>; momentum
/// <c>MOMENTUM</c>. <see cref="SetLearningRateFactor"/> applies a scheduler factor (<see cref="WarmupMultiStepLR"/>)
/// to every group's base rate.
/// </summary>
public sealed class FcosOptimizer : IDisposable
{
    private readonly SGD.ParamGroup[] _groups;

    public FcosOptimizer(FcosModel model, FcosSolverOptions solver)
    {
        var groups = new List<SGD.ParamGroup>();
        var names = new List<string>();
        var baseLrs = new List<double>();
        var decays = new List<double>();
        foreach (var (name, p) in model.TrainableParameters())
        {
            bool isBias = name.Contains("bias", StringComparison.Ordinal);
            double lr = isBias ? solver.BaseLr * solver.BiasLrFactor : solver.BaseLr;
            double wd = isBias ? solver.WeightDecayBias : solver.WeightDecay;
            groups.Add(new SGD.ParamGroup(new[] { p }, lr: lr, momentum: solver.Momentum, weight_decay: wd));
            names.Add(name); baseLrs.Add(lr); decays.Add(wd);
        }
        _groups = groups.ToArray();
        Names = names; BaseLearningRates = baseLrs; WeightDecays = decays;
        Sgd = optim.SGD(_groups, solver.BaseLr, solver.Momentum, 0, solver.WeightDecay, false);
    }

    public SGD Sgd { get; }
    /// <summary>Parameter names, one per group, in <c>named_parameters</c> order.</summary>
    public IReadOnlyList<string> Names { get; }
    public IReadOnlyList<double> BaseLearningRates { get; }
    public IReadOnlyList<double> WeightDecays { get; }

    /// <summary>The learning rate group <paramref name="index"/> uses now.</summary>
    public double LearningRate(int index) => _groups[index].Options.LearningRate!.Value;

    /// <summary>Sets every group's rate to <c>base * factor</c> (the reference's <c>base_lr * warmup * gamma^k</c>).</summary>
    public void SetLearningRates(WarmupMultiStepLR schedule, int step)
    {
        for (int g = 0; g < _groups.Length; g++) _groups[g].Options.LearningRate = schedule.LearningRate(BaseLearningRates[g], step);
    }

    /// <summary>Sets every group's rate to <c>base * factor</c>.</summary>
    public void SetLearningRateFactor(double factor)
    {
        for (int g = 0; g < _groups.Length; g++) _groups[g].Options.LearningRate = BaseLearningRates[g] * factor;
    }

    public void ZeroGrad() => Sgd.zero_grad();
    public void Step() => Sgd.step();
    public void Dispose() => Sgd.Dispose();
}
