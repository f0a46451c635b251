using TrackSharp.Config;

namespace TrackSharp.Training.Engine;

/// <summary>
/// The trainer factories of this build, keyed by config family. Family code registers its factory in
/// <see cref="Default"/> (e.g. from a module initializer or the CLI's start-up); tests build their own registry.
/// Thread-safe.
/// </summary>
public sealed class TrainerRegistry
{
    private readonly object _lock = new();
    private readonly List<ITrainerFactory> _factories = [];

    /// <summary>The registry the <c>train</c> verb uses.</summary>
    public static TrainerRegistry Default { get; } = new();

    public IReadOnlyList<ITrainerFactory> Factories
    {
        get { lock (_lock) return _factories.ToList(); }
    }

    /// <summary>Adds <paramref name="factory"/> (a later registration with the same family and name replaces the earlier).</summary>
    public void Register(ITrainerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        lock (_lock)
        {
            _factories.RemoveAll(f => Same(f.Family, factory.Family) && Same(f.Name, factory.Name));
            _factories.Add(factory);
        }
    }

    /// <summary>Removes the factory (tests).</summary>
    public bool Unregister(ITrainerFactory factory)
    {
        lock (_lock) return _factories.Remove(factory);
    }

    /// <summary>The first factory of the config's family that accepts it; otherwise
    /// <see cref="TrainerNotFoundException"/> saying what is registered.</summary>
    public ITrainerFactory Find(ExperimentConfig config)
    {
        var family = config.Family.Name;
        var ofFamily = Factories.Where(f => Same(f.Family, family)).ToList();
        if (ofFamily.Count == 0)
        {
            var families = Factories.Select(f => f.Family).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
            throw new TrainerNotFoundException(
                $"no trainer is registered for config family '{family}'" +
                (config.Files.Count > 0 ? $" (config '{config.Files[^1]}')" : "") +
                (families.Count == 0 ? "; this build has no trainers yet" : $"; trainers exist for: {string.Join(", ", families)}"));
        }
        return ofFamily.FirstOrDefault(f => f.Accepts(config))
            ?? throw new TrainerNotFoundException(
                $"no {family} trainer accepts config '{(config.Files.Count > 0 ? config.Files[^1] : "(defaults)")}' " +
                $"(tried: {string.Join(", ", ofFamily.Select(f => f.Name))})");
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
