using System.Globalization;
using System.Text.Json.Serialization;

namespace TrackSharp.Cli.Benchmarks;

/// <summary>
/// The figures every single-tracker speed bench reports (<c>bench siamfcpp</c>, <c>siamban</c>, <c>ostrack</c>,
/// <c>trdimp</c>): the run, the medians per thread count, the ratios to the Python reference, the goal and the machine.
/// Each family's record derives from this one and adds its own keys.
/// </summary>
/// <remarks>
/// The JSON key order is part of the output (scripts and the README read it), and System.Text.Json would otherwise
/// decide for itself how base and derived properties interleave. So every shared key carries a
/// <see cref="JsonPropertyOrderAttribute"/> in steps of ten, and a family's own keys go into the gaps: without an
/// order attribute (order 0) before <c>random_init</c>, or at <see cref="AfterRandomInit"/>,
/// <see cref="AfterResults"/>, <see cref="ReferenceSlot"/> or <see cref="AfterVersions"/>. Within one order value the
/// declaration order of one record holds; no order value is used by both this record and a derived one.
/// Serialize the derived type (the commands do): serialized as this type, the family's keys would be missing.
/// </remarks>
public abstract record TrackerBenchReport
{
    /// <summary>Order of a family's keys between <c>random_init</c> and <c>video</c>.</summary>
    protected const int AfterRandomInit = 15;

    /// <summary>Order of a family's keys between <c>results</c> and <c>ms_per_frame</c>.</summary>
    protected const int AfterResults = 25;

    /// <summary>Order of the Python reference keys, between <c>mean_ms</c> and <c>ratios</c>.</summary>
    protected const int ReferenceSlot = 35;

    /// <summary>Order of a family's keys between <c>libtorch_version</c> and <c>os</c>.</summary>
    protected const int AfterVersions = 45;

    /// <summary>
    /// Fills the shared figures of one bench run: medians and means keyed by thread count, the ratios to
    /// <paramref name="pythonMsPerFrame"/> where the network is the one the Python figure was measured with, whether
    /// the video was looped, and the machine's versions.
    /// </summary>
    /// <param name="sameNetworkAsPython">Whether the measured network is the one of the Python figures; without it no
    /// ratio is given.</param>
    protected TrackerBenchReport(TrackerBenchRun run, IReadOnlyDictionary<string, double> pythonMsPerFrame, double goalMaxRatio,
        bool sameNetworkAsPython)
    {
        static string Key(int threads) => threads.ToString(CultureInfo.InvariantCulture);
        var results = run.Results;
        var (ratios, met) = TrackerBenchmark.RatiosToPython(results, pythonMsPerFrame, goalMaxRatio, sameNetworkAsPython);
        Video = run.Video;
        Box = run.Box.ToString();
        Frames = run.TimedFrames;
        Warmup = run.Warmup;
        Results = results;
        MsPerFrame = results.ToDictionary(r => Key(r.Threads), r => r.MsPerFrame);
        MeanMs = results.ToDictionary(r => Key(r.Threads), r => r.MeanMs);
        Ratios = ratios;
        GoalMaxRatio = goalMaxRatio;
        GoalMet = met;
        VideoFrames = run.Frames.Count;
        Wrapped = run.Warmup + 1 + run.TimedFrames > run.Frames.Count;
        Quick = run.Quick;
        ProcessorCount = Environment.ProcessorCount;
        TorchSharpVersion = EngineBenchmark.TorchSharpVersion();
        LibTorchVersion = EngineBenchmark.LibTorchVersion();
        Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription;
        TimestampUtc = DateTime.UtcNow;
    }

    /// <summary>Whether the network had seeded random weights rather than a weights file.</summary>
    [JsonPropertyName("random_init"), JsonPropertyOrder(10)] public bool RandomInit { get; init; }

    [JsonPropertyName("video"), JsonPropertyOrder(20)] public string Video { get; init; } = "";
    [JsonPropertyName("box"), JsonPropertyOrder(20)] public string Box { get; init; } = "";

    /// <summary>Timed frames per thread count.</summary>
    [JsonPropertyName("frames"), JsonPropertyOrder(20)] public int Frames { get; init; }

    [JsonPropertyName("warmup"), JsonPropertyOrder(20)] public int Warmup { get; init; }
    [JsonPropertyName("results"), JsonPropertyOrder(20)] public IReadOnlyList<TrackerBenchResult> Results { get; init; } = [];

    /// <summary>Median ms per Track() call, keyed by thread count.</summary>
    [JsonPropertyName("ms_per_frame"), JsonPropertyOrder(30)] public IReadOnlyDictionary<string, double> MsPerFrame { get; init; } =
        new Dictionary<string, double>();

    /// <summary>Mean ms per Track() call, keyed by thread count.</summary>
    [JsonPropertyName("mean_ms"), JsonPropertyOrder(30)] public IReadOnlyDictionary<string, double> MeanMs { get; init; } =
        new Dictionary<string, double>();

    /// <summary>Ours / Python median, per thread count with a Python figure; empty for a network other than the one
    /// the Python figures were measured with.</summary>
    [JsonPropertyName("ratios"), JsonPropertyOrder(40)] public IReadOnlyDictionary<string, double> Ratios { get; init; } =
        new Dictionary<string, double>();

    /// <summary>The goal of the family's speed issue: at most this fraction of the Python time.</summary>
    [JsonPropertyName("goal_max_ratio"), JsonPropertyOrder(40)] public double GoalMaxRatio { get; init; }

    [JsonPropertyName("goal_met"), JsonPropertyOrder(40)] public IReadOnlyDictionary<string, bool> GoalMet { get; init; } =
        new Dictionary<string, bool>();

    /// <summary>Frames the video had (it is looped when the run needs more: <see cref="Wrapped"/>).</summary>
    [JsonPropertyName("video_frames"), JsonPropertyOrder(40)] public int VideoFrames { get; init; }

    [JsonPropertyName("wrapped"), JsonPropertyOrder(40)] public bool Wrapped { get; init; }
    [JsonPropertyName("quick"), JsonPropertyOrder(40)] public bool Quick { get; init; }
    [JsonPropertyName("processor_count"), JsonPropertyOrder(40)] public int ProcessorCount { get; init; }
    [JsonPropertyName("torchsharp_version"), JsonPropertyOrder(40)] public string TorchSharpVersion { get; init; } = "";
    [JsonPropertyName("libtorch_version"), JsonPropertyOrder(40)] public string LibTorchVersion { get; init; } = "";
    [JsonPropertyName("os"), JsonPropertyOrder(50)] public string Os { get; init; } = "";
    [JsonPropertyName("timestamp_utc"), JsonPropertyOrder(50)] public DateTime TimestampUtc { get; init; }
}
