using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack.Training;

/// <summary>Optimizer settings of an OSTrack run (<c>TRAIN.*</c>).</summary>
/// <param name="Lr"><c>TRAIN.LR</c>: lr of the head group.</param>
/// <param name="BackboneMultiplier"><c>TRAIN.BACKBONE_MULTIPLIER</c>: the backbone group's lr is <c>LR × multiplier</c>.</param>
/// <param name="WeightDecay"><c>TRAIN.WEIGHT_DECAY</c> (AdamW's decoupled decay, on every parameter).</param>
/// <param name="LrDropEpoch"><c>TRAIN.LR_DROP_EPOCH</c>: StepLR's step size (gamma 0.1).</param>
/// <param name="GradClipNorm"><c>TRAIN.GRAD_CLIP_NORM</c>; 0 or less = no clipping.</param>
public sealed record OSTrackOptimizerSettings(double Lr, double BackboneMultiplier, double WeightDecay, int LrDropEpoch,
    double GradClipNorm);

/// <summary>
/// OSTrack's optimizer (<c>lib/train/base_functions.py: get_optimizer_scheduler</c>): AdamW (betas 0.9/0.999, eps 1e-8)
/// over two groups — group 0 every trainable parameter whose name does not contain "backbone" (lr = LR), group 1 the
/// backbone (lr = LR × BACKBONE_MULTIPLIER) — and <c>StepLR(LR_DROP_EPOCH)</c> with torch's default gamma 0.1
/// (<c>SCHEDULER.DECAY_RATE</c> is ignored upstream, README trap 30). The StepLR value is reproduced by multiplying
/// the initial lr by 0.1 once per drop, as torch does in place (<c>4e-4·0.1·0.1 = 4.000000000000001e-06</c>).
/// Gradient clipping is <c>clip_grad_norm_</c> over all parameters between backward and step.
/// </summary>
public sealed class OSTrackOptimizer : IDisposable
{
    private readonly AdamW.ParamGroup[] _groups;
    private readonly double[] _initialLrs;
    private readonly IReadOnlyList<Parameter> _all;

    /// <param name="model">The network; parameters with <c>requires_grad = false</c> are left out, as upstream.</param>
    /// <param name="settings">The <c>TRAIN.*</c> values.</param>
    public OSTrackOptimizer(nn.Module model, OSTrackOptimizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        if (settings.LrDropEpoch < 1)
            throw new ArgumentException($"TRAIN.LR_DROP_EPOCH must be at least 1, got {settings.LrDropEpoch}");
        var named = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        var head = named.Where(p => !p.name.Contains("backbone", StringComparison.Ordinal)).ToList();
        var backbone = named.Where(p => p.name.Contains("backbone", StringComparison.Ordinal)).ToList();
        GroupParameterNames = [head.Select(p => p.name).ToList(), backbone.Select(p => p.name).ToList()];
        _initialLrs = [settings.Lr, settings.Lr * settings.BackboneMultiplier];
        _groups =
        [
            new AdamW.ParamGroup(head.Select(p => p.parameter), lr: _initialLrs[0], weight_decay: settings.WeightDecay),
            new AdamW.ParamGroup(backbone.Select(p => p.parameter), lr: _initialLrs[1], weight_decay: settings.WeightDecay),
        ];
        _all = model.parameters().ToList();
        AdamW = optim.AdamW(_groups, settings.Lr, weight_decay: settings.WeightDecay);
    }

    public OSTrackOptimizerSettings Settings { get; }

    /// <summary>The optimizer (its state: step counts and the two moment estimates).</summary>
    public AdamW AdamW { get; }

    /// <summary>Parameter names of group 0 (head) and group 1 (backbone).</summary>
    public IReadOnlyList<IReadOnlyList<string>> GroupParameterNames { get; }

    /// <summary>The lr of each group in 0-based epoch <paramref name="epoch"/> (StepLR after <paramref name="epoch"/> steps).</summary>
    public double[] LearningRates(int epoch)
    {
        int drops = epoch / Settings.LrDropEpoch;
        return _initialLrs.Select(lr =>
        {
            for (int i = 0; i < drops; i++) lr *= 0.1;
            return lr;
        }).ToArray();
    }

    /// <summary>Sets the groups' lr for 0-based epoch <paramref name="epoch"/> and returns them.</summary>
    public double[] SetLearningRates(int epoch)
    {
        var lrs = LearningRates(epoch);
        for (int g = 0; g < _groups.Length; g++) _groups[g].Options.LearningRate = lrs[g];
        return lrs;
    }

    /// <summary><c>clip_grad_norm_(net.parameters(), GRAD_CLIP_NORM)</c>; returns the total norm before clipping
    /// (NaN when clipping is off).</summary>
    public double ClipGradients() =>
        Settings.GradClipNorm > 0 ? nn.utils.clip_grad_norm_(_all, Settings.GradClipNorm) : double.NaN;

    public void Dispose() => AdamW.Dispose();
}
