using System.Text.Json.Serialization;

namespace TrackSharp.Cli.Benchmarks;

/// <summary>Median and mean seconds of one phase (or of the whole iteration) over the timed iterations.</summary>
public sealed record SecondsSummary
{
    [JsonPropertyName("median")] public double Median { get; init; }
    [JsonPropertyName("mean")] public double Mean { get; init; }
}

/// <summary>
/// What <c>bench train siamban</c> reports; the JSON keys are the property names given here. <c>s_per_iter</c> is the
/// median wall time of one training-loop iteration; there is no Python figure to compare it with (issue 12 gives
/// none), so <c>python_s_per_iter</c> is always null.
/// </summary>
public sealed record SiamBanTrainBenchReport
{
    /// <summary>Median seconds per iteration (data wait, schedule, forward, backward, clipping, optimizer step, monitors).</summary>
    [JsonPropertyName("s_per_iter")] public double SecondsPerIteration { get; init; }
    [JsonPropertyName("s_per_iter_mean")] public double SecondsPerIterationMean { get; init; }

    /// <summary>The engine's phases (data, fwd, bwd, optim) and <c>other</c>: the iteration's time outside them.</summary>
    [JsonPropertyName("phases")] public IReadOnlyDictionary<string, SecondsSummary> Phases { get; init; } = new Dictionary<string, SecondsSummary>();

    /// <summary>Wall seconds of each timed iteration, in order.</summary>
    [JsonPropertyName("iteration_seconds")] public IReadOnlyList<double> IterationSeconds { get; init; } = [];

    /// <summary>No Python anchor was given for training speed.</summary>
    [JsonPropertyName("python_s_per_iter")] public double? PythonSecondsPerIteration { get; init; }
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; }
    [JsonPropertyName("iterations")] public int Iterations { get; init; }
    [JsonPropertyName("warmup")] public int Warmup { get; init; }
    [JsonPropertyName("threads")] public int Threads { get; init; }

    /// <summary>True when the backbone's TRAIN_LAYERS were trainable (BACKBONE.TRAIN_EPOCH forced to 0).</summary>
    [JsonPropertyName("backbone_trained")] public bool BackboneTrained { get; init; }
    [JsonPropertyName("config")] public string Config { get; init; } = "";
    [JsonPropertyName("meta_arc")] public string MetaArc { get; init; } = "";
    [JsonPropertyName("random_init")] public bool RandomInit { get; init; } = true;
    [JsonPropertyName("data")] public string Data { get; init; } = "";
    [JsonPropertyName("synthetic")] public bool Synthetic { get; init; }
    [JsonPropertyName("last_losses")] public IReadOnlyDictionary<string, double> LastLosses { get; init; } = new Dictionary<string, double>();
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("quick")] public bool Quick { get; init; }
    [JsonPropertyName("processor_count")] public int ProcessorCount { get; init; }
    [JsonPropertyName("load_average_1min")] public double? LoadAverage { get; init; }
    [JsonPropertyName("os")] public string Os { get; init; } = "";
    [JsonPropertyName("timestamp_utc")] public DateTime TimestampUtc { get; init; }
}
