using System.Text.Json.Serialization;

namespace TrackSharp.Training.Engine;

/// <summary>
/// The small JSON part of a checkpoint: where training continues, what produced it, and the files it consists
/// of (with their sizes, so a truncated file is recognised before it is read). Trainers add their own key/values
/// in <see cref="Values"/> (e.g. a data sampler's state).
/// </summary>
public sealed record TrainerState
{
    /// <summary>Format of this JSON; raised when fields change meaning.</summary>
    [JsonPropertyName("format")] public int Format { get; init; } = 1;

    /// <summary>0-based epoch the next iteration belongs to.</summary>
    [JsonPropertyName("epoch")] public int Epoch { get; init; }

    /// <summary>0-based iteration (inside <see cref="Epoch"/>) that runs next.</summary>
    [JsonPropertyName("iteration")] public int Iteration { get; init; }

    [JsonPropertyName("iterations_per_epoch")] public int IterationsPerEpoch { get; init; }

    /// <summary>Iterations done so far (= the global step of the next iteration).</summary>
    [JsonPropertyName("global_step")] public long GlobalStep { get; init; }

    [JsonPropertyName("seed")] public long Seed { get; init; }

    /// <summary>Hash of the resolved config text (<see cref="ConfigHash"/>); resume warns when it changed.</summary>
    [JsonPropertyName("config_hash")] public string ConfigHash { get; init; } = "";

    /// <summary>Trainer-specific key/values.</summary>
    [JsonPropertyName("values")] public Dictionary<string, string> Values { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Model weights file name (a torch.save state dict), relative to the checkpoint folder.</summary>
    [JsonPropertyName("weights")] public string WeightsFile { get; init; } = "";

    [JsonPropertyName("weights_bytes")] public long WeightsBytes { get; init; }

    /// <summary>Optimizer state file name (torch.save format, PyTorch's optimizer.state_dict() layout); "" when none.</summary>
    [JsonPropertyName("optimizer")] public string OptimizerFile { get; init; } = "";

    [JsonPropertyName("optimizer_bytes")] public long OptimizerBytes { get; init; }

    [JsonPropertyName("saved_utc")] public DateTimeOffset SavedUtc { get; init; }
}
