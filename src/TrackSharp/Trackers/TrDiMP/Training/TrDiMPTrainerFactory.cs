using TrackSharp.Config;
using TrackSharp.Training.Engine;

namespace TrackSharp.Trackers.TrDiMP.Training;

/// <summary>Trains TrDiMP/TrSiam from <c>ltr</c>-family configs (<c>transformer_dimp.py</c> as YAML); TrSiam is the same
/// trained network run without filter optimisation.</summary>
public sealed class TrDiMPTrainerFactory : ITrainerFactory
{
    public string Family => ConfigFamily.Ltr.Name;

    public string Name => "trdimp";

    public bool Accepts(ExperimentConfig config) => true;

    public ITrainer Create(TrainRequest request) => new TrDiMPTrainer(request);
}
