using TrackSharp.Config;

namespace TrackSharp.Training.Engine;

/// <summary>
/// Builds trainers for one config family (<see cref="ConfigFamily.Name"/>: ostrack, siamban, video_analyst,
/// maskrcnn_benchmark, ...). Families register a factory in <see cref="TrainerRegistry.Default"/>; the
/// <c>train</c> verb picks the first one whose <see cref="Family"/> matches and that <see cref="Accepts"/> the config.
/// </summary>
public interface ITrainerFactory
{
    /// <summary>The config family this factory trains (case-insensitive).</summary>
    string Family { get; }

    /// <summary>Short name shown in messages, e.g. "siamfcpp".</summary>
    string Name { get; }

    /// <summary>True when this factory can train <paramref name="config"/> (e.g. its model type).</summary>
    bool Accepts(ExperimentConfig config);

    ITrainer Create(TrainRequest request);
}
