using System.Text;

namespace TrackSharp.Checkpoints;

/// <summary>A state-dict entry whose shape differs from the module's tensor of the same name.</summary>
public sealed record ShapeMismatch(string Name, long[] Expected, long[] Found)
{
    public override string ToString() => $"{Name}: model [{string.Join(", ", Expected)}], checkpoint [{string.Join(", ", Found)}]";
}

/// <summary>
/// Result of comparing a state dict with a module's <c>state_dict()</c> (parameters and buffers):
/// <see cref="Missing"/> (in the module, not in the checkpoint), <see cref="Unexpected"/> (in the checkpoint, not in
/// the module), <see cref="ShapeMismatched"/>, and the names present in both with equal shapes (<see cref="Matched"/>, the ones a load copies).
/// </summary>
public sealed class LoadReport
{
    public LoadReport(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<ShapeMismatch> shapeMismatched, IReadOnlyList<string> matched)
    {
        Source = source;
        Missing = missing;
        Unexpected = unexpected;
        ShapeMismatched = shapeMismatched;
        Matched = matched;
    }

    /// <summary>The checkpoint file (or name) the state dict came from.</summary>
    public string Source { get; }
    /// <summary>Module keys (module order) absent from the checkpoint.</summary>
    public IReadOnlyList<string> Missing { get; }
    /// <summary>Checkpoint keys (checkpoint order) the module does not have.</summary>
    public IReadOnlyList<string> Unexpected { get; }
    public IReadOnlyList<ShapeMismatch> ShapeMismatched { get; }
    /// <summary>Keys present in both with equal shapes (module order): what a load copies. A strict load that
    /// throws copies nothing.</summary>
    public IReadOnlyList<string> Matched { get; }

    /// <summary>True when every module tensor was found with the right shape and nothing was left over.</summary>
    public bool IsExactMatch => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatched.Count == 0;

    /// <summary>One-line summary.</summary>
    public override string ToString() =>
        $"'{Source}': {Matched.Count} matched, {Missing.Count} missing, {Unexpected.Count} unexpected, " +
        $"{ShapeMismatched.Count} shape-mismatched";

    /// <summary>Multi-line description listing up to <paramref name="maxListed"/> keys of each kind.</summary>
    public string Describe(int maxListed = 20)
    {
        var sb = new StringBuilder();
        sb.Append(IsExactMatch
            ? $"Checkpoint '{Source}' matches the model exactly ({Matched.Count} tensors)."
            : $"Checkpoint '{Source}' does not match the model: {Missing.Count} missing, {Unexpected.Count} unexpected, " +
              $"{ShapeMismatched.Count} shape-mismatched key(s).");
        Append(sb, "missing in checkpoint", Missing, maxListed);
        Append(sb, "unexpected in checkpoint", Unexpected, maxListed);
        Append(sb, "shape mismatch", ShapeMismatched.Select(m => m.ToString()).ToList(), maxListed);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string title, IReadOnlyList<string> items, int max)
    {
        if (items.Count == 0) return;
        sb.Append('\n').Append("  ").Append(title).Append(" (").Append(items.Count).Append("):");
        foreach (var s in items.Take(max)) sb.Append("\n    ").Append(s);
        if (items.Count > max) sb.Append("\n    ... and ").Append(items.Count - max).Append(" more");
    }
}
