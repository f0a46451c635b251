using TrackSharp.Config;

namespace TrackSharp.Trackers.OSTrack.Training;

/// <summary>
/// The actor's loss weights (<c>lib/train/train_script.py</c>): <c>giou = TRAIN.GIOU_WEIGHT</c>,
/// <c>l1 = TRAIN.L1_WEIGHT</c>, <c>focal = 1</c> (fixed upstream).
/// </summary>
public sealed record OSTrackLossWeights(double Giou = 2.0, double L1 = 5.0, double Focal = 1.0)
{
    /// <summary>The published weights (2, 5, 1).</summary>
    public static OSTrackLossWeights Default { get; } = new();

    /// <summary>Reads <c>TRAIN.GIOU_WEIGHT</c> and <c>TRAIN.L1_WEIGHT</c>.</summary>
    public static OSTrackLossWeights FromConfig(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new OSTrackLossWeights(config.Get("TRAIN.GIOU_WEIGHT", 2.0), config.Get("TRAIN.L1_WEIGHT", 5.0));
    }
}
