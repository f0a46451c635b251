namespace TrackSharp.Tracking;

/// <summary>Options shared by every tracker created through the <see cref="TrackerRegistry"/>.</summary>
public sealed record TrackerOptions
{
    /// <summary>A result whose score is below this value is flagged <see cref="TrackResult.TargetLost"/>.</summary>
    public double LostThreshold { get; init; } = 0.3;

    /// <summary>Weights file; null means the shipped default found under <c>models/</c>.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>Model version within a family (NanoTrack: "v1", "v2", "v3").</summary>
    public string? Version { get; init; }

    /// <summary>Experiment config for trackers that read one (OSTrack: network and TEST crops); null = the tracker's
    /// fallback (e.g. a <c>config.yaml</c> beside the weights).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Intra-op threads for the network backend; 0 keeps the backend's default.</summary>
    public int Threads { get; init; }
}
