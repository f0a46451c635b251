namespace TrackSharp.Config;

/// <summary>One problem in a config: where (file and line, or the override text), which key (the full dotted
/// path, list elements as <c>[i]</c>) and what. Printed as <c>ostrack.yaml:12: DATA.TRAIN.DATASET_NAME: unknown
/// key (did you mean DATASETS_NAME?)</c>.</summary>
public sealed record ConfigError(ConfigSource Source, string KeyPath, string Problem)
{
    public override string ToString() =>
        KeyPath.Length == 0 ? $"{Source}: {Problem}" : $"{Source}: {KeyPath}: {Problem}";
}

/// <summary>
/// A config that cannot be used: unknown keys, values of the wrong type, malformed YAML or override text,
/// dataset lists that do not fit their ratios. All problems found in one load are reported together; the
/// message has one line per problem, each naming the file and line (or the override) and the full key path.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public ConfigException(ConfigError error) : this([error]) { }

    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Describe(IReadOnlyList<ConfigError> errors) => errors.Count == 1
        ? errors[0].ToString()
        : $"{errors.Count} config errors:{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
