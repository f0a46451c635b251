using TrackSharp.Config;
using TrackSharp.Training.Engine;

namespace TrackSharp.Trackers.NanoTrack.Training;

/// <summary>Trains NanoTrack's pysot-layout configs (SiamBAN family), told apart by their MobileNetV3 backbone type.</summary>
public sealed class NanoTrackTrainerFactory : ITrainerFactory
{
    public string Family => ConfigFamily.SiamBan.Name;

    public string Name => "nanotrack";

    public bool Accepts(ExperimentConfig config) =>
        config.Get("BACKBONE.TYPE", "").StartsWith("mobilenetv3_small", StringComparison.OrdinalIgnoreCase);

    public ITrainer Create(TrainRequest request) => new NanoTrackTrainer(request);
}
