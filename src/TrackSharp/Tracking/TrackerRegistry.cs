namespace TrackSharp.Tracking;

/// <summary>
/// Trackers by name. <see cref="Default"/> holds every tracker TrackSharp ships; applications may register
/// their own. Names are case-insensitive.
/// </summary>
public sealed class TrackerRegistry
{
    private readonly Dictionary<string, (string Description, Func<TrackerOptions, ITracker> Factory)> _entries =
        new(StringComparer.OrdinalIgnoreCase);

    public static TrackerRegistry Default { get; } = BuiltInTrackers.CreateRegistry();

    public IEnumerable<(string Name, string Description)> Entries =>
        _entries.OrderBy(e => e.Key).Select(e => (e.Key, e.Value.Description));

    public void Register(string name, string description, Func<TrackerOptions, ITracker> factory) =>
        _entries[name] = (description, factory);

    public bool Contains(string name) => _entries.ContainsKey(name);

    private readonly HashSet<string> _deterministic = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Declares that <paramref name="name"/> gives the same boxes on every run of the same sequence (no sampling, no
    /// random state), like the GOT-10k toolkit's <c>Tracker.is_deterministic</c>: its GOT-10k evaluation runs each
    /// sequence once instead of three times. Trackers not declared are assumed non-deterministic, the toolkit's default.
    /// </summary>
    public void MarkDeterministic(string name) => _deterministic.Add(name);

    /// <summary>True when <see cref="MarkDeterministic"/> was called for <paramref name="name"/>.</summary>
    public bool IsDeterministic(string name) => _deterministic.Contains(name);

    /// <exception cref="KeyNotFoundException">Unknown name; the message lists the known ones.</exception>
    public ITracker Create(string name, TrackerOptions? options = null)
    {
        if (!_entries.TryGetValue(name, out var entry))
            throw new KeyNotFoundException(
                $"unknown tracker '{name}'; known trackers: {string.Join(", ", _entries.Keys.Order())}");
        return entry.Factory(options ?? new TrackerOptions());
    }
}
