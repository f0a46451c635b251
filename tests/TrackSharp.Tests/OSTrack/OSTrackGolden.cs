using TrackSharp.Config;
using TrackSharp.Trackers.OSTrack;

namespace TrackSharp.Tests.OSTrack;

/// <summary>Paths into golden/ostrack_small and the small model config built from its config.yaml.</summary>
internal static class OSTrackGolden
{
    public static string Folder => Path.Combine(TestPaths.Shared, "golden", "ostrack_small");
    public static string ConfigPath => Path.Combine(Folder, "config.yaml");
    public static string WeightsPath => Path.Combine(Folder, "weights.pth");
    public static string CheckpointPath => Path.Combine(Folder, "checkpoint.pth");
    public static string File(string name) => Path.Combine(Folder, name);

    public static ExperimentConfig Experiment() => ConfigFamily.OSTrack.Load(ConfigPath);

    public static OSTrackModelConfig ModelConfig() => OSTrackModelConfig.FromExperiment(Experiment());
}
