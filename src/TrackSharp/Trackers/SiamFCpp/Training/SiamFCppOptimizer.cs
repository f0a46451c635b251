using TorchSharp.Modules;
using TrackSharp.Training.Schedules;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>
/// videoanalyst's SGD optimizer for SiamFC++: param groups by regex (<see cref="LrMultiplier"/>, the config's
/// <c>lr_multiplier</c>) and, every iteration, each group's lr set to the policy value × the group's ratio.
/// Group i holds every parameter whose name matches its regex (re.search), in the model's parameter order; a
/// parameter in two groups is an error (torch refuses it too); a parameter in none is not optimised
/// (<see cref="UngroupedParameters"/>, as in the reference, which leaves it out of the optimizer).
/// Frozen parameters (<see cref="DynamicFreezer"/>) stay in their groups: without a gradient SGD skips them.
/// </summary>
public sealed class SiamFCppOptimizer : IDisposable
{
    private readonly SGD.ParamGroup[] _groups;

    /// <exception cref="ArgumentException">No group, a parameter matched by two groups, or a group that matches
    /// nothing; the message names the parameter or the group.</exception>
    public SiamFCppOptimizer(nn.Module model, MultiStageLrSchedule schedule, IReadOnlyList<LrMultiplier> multipliers,
        SiamFCppSgdSettings sgd)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(multipliers);
        ArgumentNullException.ThrowIfNull(sgd);
        if (multipliers.Count == 0) throw new ArgumentException("at least one lr_multiplier group is needed", nameof(multipliers));
        Schedule = schedule;
        Multipliers = multipliers;

        var named = model.named_parameters().ToList();
        var names = new List<string>[multipliers.Count];
        var ungrouped = new List<string>();
        for (int g = 0; g < names.Length; g++) names[g] = [];
        foreach (var (name, _) in named)
        {
            var hits = Enumerable.Range(0, multipliers.Count).Where(g => multipliers[g].Matches(name)).ToArray();
            if (hits.Length > 1)
                throw new ArgumentException($"parameter '{name}' matches lr_multiplier groups " +
                                            string.Join(" and ", hits.Select(g => $"'{multipliers[g].Name}' ({multipliers[g].Regex})")));
            if (hits.Length == 0) ungrouped.Add(name);
            else names[hits[0]].Add(name);
        }
        for (int g = 0; g < names.Length; g++)
            if (names[g].Count == 0)
                throw new ArgumentException($"lr_multiplier group '{multipliers[g].Name}' ({multipliers[g].Regex}) matches no parameter");
        GroupParameterNames = names;
        UngroupedParameters = ungrouped;

        var byName = named.ToDictionary(n => n.name, n => n.parameter);
        _groups = names.Select(list => new SGD.ParamGroup(list.Select(n => byName[n]), lr: sgd.Lr, momentum: sgd.Momentum,
            dampening: sgd.Dampening, weight_decay: sgd.WeightDecay, nesterov: sgd.Nesterov)).ToArray();
        Sgd = optim.SGD(_groups, sgd.Lr, sgd.Momentum, sgd.Dampening, sgd.WeightDecay, sgd.Nesterov);
    }

    /// <summary>The LR policy.</summary>
    public MultiStageLrSchedule Schedule { get; }

    /// <summary>The param groups' names, regexes and ratios, in group order.</summary>
    public IReadOnlyList<LrMultiplier> Multipliers { get; }

    /// <summary>The optimizer (its state: the momentum buffers).</summary>
    public SGD Sgd { get; }

    /// <summary>The parameter names of each group, in group order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> GroupParameterNames { get; }

    /// <summary>Parameters no group matched: never updated.</summary>
    public IReadOnlyList<string> UngroupedParameters { get; }

    /// <summary>Sets every group's lr for (epoch, iteration): the policy value times the group's ratio (videoanalyst's
    /// <c>schedule()</c>). Returns the policy value and the group lrs.</summary>
    public (double Lr, double[] GroupLrs) SetLearningRates(int epoch, int iteration)
    {
        double lr = Schedule.LearningRate(epoch, iteration);
        var groupLrs = Multipliers.Select(m => lr * m.Ratio).ToArray();
        for (int g = 0; g < _groups.Length; g++) _groups[g].Options.LearningRate = groupLrs[g];
        return (lr, groupLrs);
    }

    public void Dispose() => Sgd.Dispose();
}
