using System.Text.RegularExpressions;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>
/// One rule of videoanalyst's <c>DynamicFreezer</c> schedule: parameters whose name matches <paramref name="Regex"/>
/// (unanchored search, Python's <c>re.search</c>) are frozen (<paramref name="Freeze"/> = true) from
/// <paramref name="Epoch"/> on and trainable before it, or the other way round (<paramref name="Freeze"/> = false).
/// </summary>
/// <param name="Name">The rule's label (<c>isConv5</c>); informative only.</param>
/// <param name="Regex">The parameter-name pattern.</param>
/// <param name="Epoch">First epoch (0-based) of the rule's state.</param>
/// <param name="Freeze">The config's <c>freezed</c>.</param>
public sealed record FreezeRule(string Name, string Regex, int Epoch, bool Freeze)
{
    private readonly Regex _regex = new(Regex, RegexOptions.CultureInvariant);

    public bool Matches(string parameterName) => _regex.IsMatch(parameterName);

    /// <summary><c>requires_grad</c> this rule gives its parameters at <paramref name="epoch"/>:
    /// <c>(epoch &gt;= Epoch) XOR Freeze</c>.</summary>
    public bool RequiresGrad(int epoch) => (epoch >= Epoch) != Freeze;

    /// <summary>Equal when the four settings are (the compiled pattern is not part of the value).</summary>
    public bool Equals(FreezeRule? other) =>
        other is not null && Name == other.Name && Regex == other.Regex && Epoch == other.Epoch && Freeze == other.Freeze;

    public override int GetHashCode() => HashCode.Combine(Name, Regex, Epoch, Freeze);
}

/// <summary>
/// videoanalyst's <c>DynamicFreezer</c> (<c>optim/grad_modifier</c>): once per epoch, before its first iteration,
/// every rule in order sets <c>requires_grad</c> of the parameters it matches (a later rule overrides an earlier
/// one; parameters no rule matches keep their state). Frozen parameters stay in their optimizer param groups;
/// <see cref="Apply"/> also drops their gradient (TorchSharp's <c>zero_grad</c> zeroes rather than clearing it,
/// and a zero gradient would still move the parameter through weight decay and momentum), so they get neither a
/// gradient nor an update, as in PyTorch where their <c>.grad</c> stays <c>None</c>.
/// </summary>
public sealed class DynamicFreezer
{
    public DynamicFreezer(IEnumerable<FreezeRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = rules.ToArray();
    }

    public IReadOnlyList<FreezeRule> Rules { get; }

    /// <summary>Whether parameter <paramref name="name"/> trains at <paramref name="epoch"/>, given its state before
    /// the rules run (<paramref name="current"/>).</summary>
    public bool RequiresGrad(string name, int epoch, bool current)
    {
        bool value = current;
        foreach (var rule in Rules)
            if (rule.Matches(name)) value = rule.RequiresGrad(epoch);
        return value;
    }

    /// <summary>The names among <paramref name="parameterNames"/> frozen at <paramref name="epoch"/> when every
    /// parameter starts trainable (the reference's state after its first <c>modify_grad</c> call of that epoch).</summary>
    public IReadOnlyList<string> FrozenAt(int epoch, IEnumerable<string> parameterNames) =>
        parameterNames.Where(n => !RequiresGrad(n, epoch, current: true)).ToArray();

    /// <summary>
    /// Applies the schedule of <paramref name="epoch"/> to <paramref name="module"/>'s parameters: sets
    /// <c>requires_grad</c>, and clears the gradient of every parameter left frozen. Returns the frozen names.
    /// </summary>
    public IReadOnlyList<string> Apply(nn.Module module, int epoch)
    {
        ArgumentNullException.ThrowIfNull(module);
        var frozen = new List<string>();
        foreach (var (name, p) in module.named_parameters())
        {
            bool trains = RequiresGrad(name, epoch, p.requires_grad);
            if (p.requires_grad != trains) p.requires_grad = trains;
            if (!trains)
            {
                ClearGrad(p);
                frozen.Add(name);
            }
        }
        return frozen;
    }

    /// <summary>Drops <paramref name="parameter"/>'s gradient (PyTorch's <c>p.grad = None</c>).</summary>
    internal static void ClearGrad(Parameter parameter)
    {
        if (parameter.grad is null) return;
        parameter.grad = null;
    }
}
