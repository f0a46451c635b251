using TrackSharp.Config;
using TrackSharp.Training.Engine;

namespace TrackSharp.Detection.Fcos.Training;

/// <summary>Trains maskrcnn-benchmark configs with <c>MODEL.FCOS_ON</c> (tianzhi0549/FCOS).</summary>
public sealed class FcosTrainerFactory : ITrainerFactory
{
    public string Family => ConfigFamily.MaskRcnnBenchmark.Name;

    public string Name => "fcos";

    public bool Accepts(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Get("MODEL.FCOS_ON", false);
    }

    public ITrainer Create(TrainRequest request) => new FcosTrainer(request);
}
