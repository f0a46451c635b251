namespace TrackSharp.Tracking;

/// <summary>
/// The settings <see cref="BanTracking"/> needs, taken from a family's own config (NanoTrack's and SiamBAN's configs
/// are different types with the same meaning for these fields).
/// </summary>
/// <param name="ContextAmount">Context added around the target for the crops (reference <c>CONTEXT_AMOUNT</c>).</param>
/// <param name="ExemplarSize">Template crop side in pixels.</param>
/// <param name="InstanceSize">Search crop side in pixels.</param>
/// <param name="ClsOutChannels">Channels of the classification map: 2 (softmax) or 1 (sigmoid).</param>
/// <param name="PenaltyK">Scale/ratio change penalty factor.</param>
/// <param name="WindowInfluence">Weight of the cosine window in the blended score.</param>
/// <param name="LearningRate">Size smoothing rate (times penalty and score of the chosen cell).</param>
/// <param name="LostThreshold">A best score below this flags <see cref="TrackResult.TargetLost"/>.</param>
public sealed record BanTrackingParameters(double ContextAmount, int ExemplarSize, int InstanceSize, int ClsOutChannels,
    double PenaltyK, double WindowInfluence, double LearningRate, double LostThreshold);
