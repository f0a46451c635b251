using TrackSharp.Config;
using TrackSharp.Training.Engine;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>Trains video_analyst task configs whose model is SiamTrack with a DenseboxHead (SiamFC++).</summary>
public sealed class SiamFCppTrainerFactory : ITrainerFactory
{
    public string Family => ConfigFamily.VideoAnalyst.Name;

    public string Name => "siamfcpp";

    public bool Accepts(ExperimentConfig config) =>
        config.Get("model.task_model.name", "") == "SiamTrack" && config.Get("model.task_head.name", "") == "DenseboxHead";

    public ITrainer Create(TrainRequest request) => new SiamFCppTrainer(request);
}
