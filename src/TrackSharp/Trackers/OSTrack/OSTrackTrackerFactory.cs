using TrackSharp.Config;
using TrackSharp.Tracking;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// Builds OSTrack trackers from a weights file (an official checkpoint, <c>{'net': ...}</c>, or a bare state dict).
/// No OSTrack weights ship with TrackSharp, so a weights path is required. An OSTrack experiment YAML selects the
/// network and the crops: the one given (<see cref="TrackerOptions.ConfigPath"/>, <c>track --config</c>), else a <c>config.yaml</c> beside the weights, else the published
/// <c>vitb_256_mae_ce_32x4_ep300</c> settings.
/// </summary>
public static class OSTrackTrackerFactory
{
    public const string ConfigFileName = "config.yaml";

    /// <summary>A tracker for the weights in <see cref="TrackerOptions.WeightsPath"/> (required).</summary>
    public static OSTrackTracker Create(TrackerOptions options)
    {
        if (string.IsNullOrEmpty(options.WeightsPath))
            throw new ArgumentException(
                "ostrack needs a weights file (--weights FILE): TrackSharp ships no OSTrack weights. " +
                $"A {ConfigFileName} (OSTrack experiment layout) beside the weights selects the network and crop settings; " +
                "without one the vitb_256_mae_ce_32x4_ep300 settings apply.");
        if (options.ConfigPath is { } given)
        {
            if (!File.Exists(given)) throw new FileNotFoundException($"OSTrack config file '{given}' does not exist", given);
            return Create(options.WeightsPath, given, options);
        }
        string config = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.WeightsPath))!, ConfigFileName);
        return Create(options.WeightsPath, File.Exists(config) ? config : null, options);
    }

    /// <summary>A tracker for <paramref name="weightsPath"/> configured by <paramref name="configPath"/> (an OSTrack
    /// experiment YAML; null = <c>vitb_256_mae_ce_32x4_ep300</c>). The checkpoint must fit the network exactly.</summary>
    public static OSTrackTracker Create(string weightsPath, string? configPath, TrackerOptions? options = null)
    {
        options ??= new TrackerOptions();
        if (options.Threads > 0) TorchSharp.torch.set_num_threads(options.Threads);
        OSTrackModelConfig modelConfig = OSTrackModelConfig.VitB256Ce;
        OSTrackTrackerConfig trackerConfig = OSTrackTrackerConfig.VitB256;
        if (configPath is not null)
        {
            var experiment = ConfigFamily.OSTrack.Load(configPath);
            modelConfig = OSTrackModelConfig.FromExperiment(experiment);
            trackerConfig = OSTrackTrackerConfig.FromExperiment(experiment);
        }
        var model = OSTrackCheckpoints.LoadModel(weightsPath, modelConfig);
        try
        {
            return new OSTrackTracker(model, trackerConfig, options.LostThreshold);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
