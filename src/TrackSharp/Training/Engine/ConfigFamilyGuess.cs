using TrackSharp.Config;

namespace TrackSharp.Training.Engine;

/// <summary>
/// Picks the config family of an experiment file from its top-level keys, for <c>train</c> without
/// <c>--family</c>: pysot/SiamBAN (<c>META_ARC</c>, <c>BAN</c>, <c>ADJUST</c>), maskrcnn-benchmark/FCOS
/// (<c>SOLVER</c> with <c>DATASETS</c> or <c>INPUT</c>), OSTrack (<c>MODEL</c>, <c>TRAIN</c>, <c>DATA</c>),
/// pytracking ltr (<c>settings</c> with <c>loss_weight</c>), video_analyst (lower-case <c>model</c> with <c>trainer</c>,
/// <c>pipeline</c> or <c>data</c>).
/// </summary>
public static class ConfigFamilyGuess
{
    /// <summary>The family, or a <see cref="ConfigException"/> naming the file when the keys fit none.</summary>
    public static ConfigFamily FromFile(string path)
    {
        var root = ConfigYaml.ParseFile(path);
        var keys = root.IsMap ? root.Keys.ToHashSet(StringComparer.Ordinal) : [];
        ConfigFamily? family =
            keys.Contains("META_ARC") || keys.Contains("BAN") || keys.Contains("ADJUST") ? ConfigFamily.SiamBan
            : keys.Contains("SOLVER") && (keys.Contains("DATASETS") || keys.Contains("INPUT")) ? ConfigFamily.MaskRcnnBenchmark
            : keys.Contains("MODEL") && keys.Contains("TRAIN") && keys.Contains("DATA") ? ConfigFamily.OSTrack
            : keys.Contains("settings") && keys.Contains("loss_weight") ? ConfigFamily.Ltr
            : keys.Contains("model") && (keys.Contains("trainer") || keys.Contains("pipeline") || keys.Contains("data")) ? ConfigFamily.VideoAnalyst
            : null;
        return family ?? throw new ConfigException(new ConfigError(root.Source, "",
            $"cannot tell the config family from the top-level keys ({string.Join(", ", keys.Order(StringComparer.Ordinal))}); " +
            $"pass --family ({string.Join(", ", ConfigFamily.Names)})"));
    }
}
