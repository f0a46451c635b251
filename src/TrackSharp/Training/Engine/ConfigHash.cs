using System.Security.Cryptography;
using System.Text;
using TrackSharp.Config;

namespace TrackSharp.Training.Engine;

/// <summary>A short fingerprint of a resolved config, stored in checkpoints so a resume with another config is noticed.</summary>
public static class ConfigHash
{
    /// <summary>The first 16 hex digits of the SHA-256 of the UTF-8 text.</summary>
    public static string Of(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary>The hash of <see cref="ExperimentConfig.ToYaml"/> (defaults, files and overrides merged).</summary>
    public static string Of(ExperimentConfig config) => Of(config.ToYaml());
}
