namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// Tracker hyper-parameters of one NanoTrack version, as in the reference configs
/// (<c>models/config/configv{1,2,3}.yaml</c>, section TRACK, and POINT.STRIDE).
/// </summary>
public sealed record NanoTrackConfig
{
    public required NanoTrackVersion Version { get; init; }
    public double PenaltyK { get; init; }
    public double WindowInfluence { get; init; }
    /// <summary>Size smoothing rate (TRACK.LR), scaled per frame by penalty x score.</summary>
    public double LearningRate { get; init; }
    public int ExemplarSize { get; init; } = 127;
    public int InstanceSize { get; init; } = 255;
    public double ContextAmount { get; init; } = 0.5;
    public int Stride { get; init; } = 16;
    /// <summary>Score map side (TRACK.OUTPUT_SIZE): 16 for v1/v2, 15 for v3.</summary>
    public int ScoreSize { get; init; } = 16;

    public static NanoTrackConfig For(NanoTrackVersion version) => version switch
    {
        NanoTrackVersion.V1 => new() { Version = version, PenaltyK = 0.148, WindowInfluence = 0.462, LearningRate = 0.390 },
        NanoTrackVersion.V2 => new() { Version = version, PenaltyK = 0.150, WindowInfluence = 0.490, LearningRate = 0.385 },
        NanoTrackVersion.V3 => new()
        {
            Version = version, PenaltyK = 0.138, WindowInfluence = 0.455, LearningRate = 0.348, ScoreSize = 15,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };
}
