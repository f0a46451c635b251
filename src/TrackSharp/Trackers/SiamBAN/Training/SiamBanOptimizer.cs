using TorchSharp.Modules;
using TrackSharp.Training.Schedules;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamBAN.Training;

/// <summary>
/// pysot's SGD for SiamBAN (<c>tools/train.py build_opt_lr</c>): groups [backbone, neck, head] with initial lrs
/// <c>[LAYERS_LR·BASE_LR, BASE_LR, BASE_LR]</c>, momentum and weight decay on every group, each group's lr set per
/// epoch by the pysot schedule (<c>lr_scheduler.step(epoch)</c>). The backbone group always holds the parameters of
/// <c>BACKBONE.TRAIN_LAYERS</c>; while they are frozen they get no gradient and SGD leaves them alone, which is what
/// the reference's empty group does, and a checkpoint's optimizer state fits the same groups whatever the epoch.
/// <see cref="Rebuild"/> replaces the optimizer (momentum buffers restart), as the reference rebuilds it at
/// <c>BACKBONE.TRAIN_EPOCH</c>.
/// </summary>
public sealed class SiamBanOptimizer : IDisposable
{
    private readonly List<Parameter>[] _groups;
    private readonly double _momentum, _weightDecay;

    /// <exception cref="ArgumentException">A TRAIN_LAYERS name the backbone does not have.</exception>
    public SiamBanOptimizer(SiamBanModel model, PysotLrConfig lr, IReadOnlyList<string> trainLayers, double momentum, double weightDecay)
        : this((model ?? throw new ArgumentNullException(nameof(model))).Backbone, model.Neck, model.Head, lr, trainLayers, momentum, weightDecay)
    {
    }

    /// <summary>
    /// The same optimizer for any pysot-layout model given as its three parts (NanoTrack's <c>backbone</c>,
    /// <c>neck</c>, <c>ban_head</c> as well as SiamBAN's); <paramref name="neck"/> null gives an empty neck group.
    /// </summary>
    /// <exception cref="ArgumentException">A TRAIN_LAYERS name the backbone does not have.</exception>
    public SiamBanOptimizer(nn.Module backbone, nn.Module? neck, nn.Module head, PysotLrConfig lr, IReadOnlyList<string> trainLayers,
        double momentum, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(head);
        Lr = lr ?? throw new ArgumentNullException(nameof(lr));
        Schedule = lr.Build();
        InitialLrs = lr.InitialGroupLrs;
        var children = backbone.named_children().ToDictionary(c => c.name, c => c.module);
        var backboneParameters = new List<Parameter>();
        foreach (string layer in trainLayers)
        {
            if (!children.TryGetValue(layer, out var module))
                throw new ArgumentException($"BACKBONE.TRAIN_LAYERS names '{layer}', which the backbone does not have ({string.Join(", ", children.Keys)})");
            backboneParameters.AddRange(module.parameters());
        }
        _groups =
        [
            backboneParameters,
            neck?.parameters().ToList() ?? [],
            head.parameters().ToList(),
        ];
        _momentum = momentum;
        _weightDecay = weightDecay;
        Sgd = Create();
    }

    /// <summary>The LR settings.</summary>
    public PysotLrConfig Lr { get; }

    /// <summary>The per-epoch schedule (warm-up + main).</summary>
    public PysotLrSchedule Schedule { get; }

    /// <summary>Initial lrs of [backbone, neck, head].</summary>
    public IReadOnlyList<double> InitialLrs { get; }

    /// <summary>The current optimizer.</summary>
    public SGD Sgd { get; private set; }

    /// <summary>Parameter counts of [backbone, neck, head].</summary>
    public IReadOnlyList<int> GroupSizes => _groups.Select(g => g.Count).ToArray();

    /// <summary>Sets the groups' lrs for <paramref name="epoch"/>; returns <c>get_cur_lr()</c> and the group lrs.</summary>
    public (double Lr, double[] GroupLrs) SetEpoch(int epoch)
    {
        var lrs = Schedule.GroupLrs(epoch, InitialLrs);
        var groups = Sgd.ParamGroups.ToList();
        for (int g = 0; g < groups.Count; g++) groups[g].LearningRate = lrs[g];
        return (Schedule.CurrentLr(epoch), lrs);
    }

    /// <summary>A fresh optimizer over the same groups (the old one is disposed).</summary>
    public void Rebuild()
    {
        var old = Sgd;
        Sgd = Create();
        old.Dispose();
    }

    private SGD Create()
    {
        var groups = _groups.Select((g, i) => new SGD.ParamGroup(g, InitialLrs[i], _momentum, 0, _weightDecay)).ToList();
        return optim.SGD(groups, InitialLrs[1], _momentum, 0, _weightDecay);
    }

    public void Dispose() => Sgd.Dispose();
}
