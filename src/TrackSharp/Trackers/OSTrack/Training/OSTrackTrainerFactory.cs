using TrackSharp.Config;
using TrackSharp.Training.Engine;

namespace TrackSharp.Trackers.OSTrack.Training;

/// <summary>Trains OSTrack-family configs (<c>lib/config/ostrack/config.py</c> layout) with the CENTER head.</summary>
public sealed class OSTrackTrainerFactory : ITrainerFactory
{
    public string Family => ConfigFamily.OSTrack.Name;

    public string Name => "ostrack";

    public bool Accepts(ExperimentConfig config) => config.Get("MODEL.HEAD.TYPE", "CENTER") == "CENTER";

    public ITrainer Create(TrainRequest request) => new OSTrackTrainer(request);
}
