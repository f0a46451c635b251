using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP.Training;

/// <summary>One Adam parameter group: the module path (relative to <see cref="TrDiMPNet"/>) and its base learning rate.</summary>
public sealed record TrDiMPParamGroup(string Module, double Lr);

/// <summary>
/// The optimizer of <c>transformer_dimp.py</c>: Adam (betas 0.9/0.999, eps 1e-8, no weight decay) over six module
/// groups with their own learning rates, and <c>StepLR(step_size 15, gamma 0.2)</c> per epoch. Parameters shared by
/// two modules (the tied encoder/decoder self-attention) appear once, as PyTorch deduplicates them; frozen backbone
/// layers are in no group.
/// </summary>
public sealed class TrDiMPOptimizer : IDisposable
{
    private readonly Adam.ParamGroup[] _groups;

    /// <summary>The groups of <c>transformer_dimp.py</c>, in its order.</summary>
    public static IReadOnlyList<TrDiMPParamGroup> DefaultGroups { get; } =
    [
        new("classifier.filter_initializer", 5e-5),
        new("classifier.filter_optimizer", 5e-4),
        new("classifier.feature_extractor", 5e-5),
        new("classifier.transformer", 1e-3),
        new("bb_regressor", 1e-3),
        new("feature_extractor.layer3", 2e-5),
    ];

    /// <exception cref="ArgumentException">A group that matches no parameter, or a parameter in two groups; the message names it.</exception>
    public TrDiMPOptimizer(TrDiMPNet net, IReadOnlyList<TrDiMPParamGroup>? groups = null, int stepSize = 15, double gamma = 0.2)
    {
        ArgumentNullException.ThrowIfNull(net);
        Groups = groups ?? DefaultGroups;
        StepSize = stepSize;
        Gamma = gamma;
        var seen = new Dictionary<IntPtr, string>();
        var names = new List<IReadOnlyList<string>>();
        var paramGroups = new List<Adam.ParamGroup>();
        foreach (var g in Groups)
        {
            var prefix = g.Module + ".";
            var members = new List<(string Name, Parameter P)>();
            foreach (var (name, p) in net.named_parameters())
            {
                if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
                if (seen.TryGetValue(p.Handle, out var owner))
                {
                    if (owner.StartsWith(prefix, StringComparison.Ordinal)) continue; // tied inside this group: once
                    throw new ArgumentException($"parameter '{name}' (same tensor as '{owner}') is in two Adam groups");
                }
                seen[p.Handle] = name;
                members.Add((name, p));
            }
            if (members.Count == 0) throw new ArgumentException($"Adam group '{g.Module}' matches no parameter of the network");
            names.Add(members.Select(m => m.Name).ToArray());
            paramGroups.Add(new Adam.ParamGroup(members.Select(m => m.P), lr: g.Lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0));
        }
        _groups = paramGroups.ToArray();
        GroupParameterNames = names;
        Adam = optim.Adam(_groups, 2e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0);
    }

    public IReadOnlyList<TrDiMPParamGroup> Groups { get; }
    public int StepSize { get; }
    public double Gamma { get; }

    /// <summary>Parameter names of each group (tied parameters under their first name).</summary>
    public IReadOnlyList<IReadOnlyList<string>> GroupParameterNames { get; }

    /// <summary>The optimizer (its state holds the moments).</summary>
    public Adam Adam { get; }

    /// <summary>Sets every group's lr for the 0-based <paramref name="epoch"/> (StepLR: base·gamma^(epoch / step)) and returns them.</summary>
    public double[] SetEpoch(int epoch)
    {
        double factor = Math.Pow(Gamma, epoch / StepSize);
        var lrs = Groups.Select(g => g.Lr * factor).ToArray();
        for (int i = 0; i < _groups.Length; i++) _groups[i].Options.LearningRate = lrs[i];
        return lrs;
    }

    public void Dispose() => Adam.Dispose();
}
