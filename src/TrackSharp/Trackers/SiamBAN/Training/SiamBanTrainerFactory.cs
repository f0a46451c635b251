using TrackSharp.Config;
using TrackSharp.Training.Engine;

namespace TrackSharp.Trackers.SiamBAN.Training;

/// <summary>Trains pysot/siamban configs whose backbone is the atrous ResNet-50 (SiamBAN).</summary>
public sealed class SiamBanTrainerFactory : ITrainerFactory
{
    public string Family => ConfigFamily.SiamBan.Name;

    public string Name => "siamban";

    public bool Accepts(ExperimentConfig config) =>
        config.Get("BACKBONE.TYPE", "") is "resnet50" or "res50" or "resnet50_narrow";

    public ITrainer Create(TrainRequest request) => new SiamBanTrainer(request);
}
