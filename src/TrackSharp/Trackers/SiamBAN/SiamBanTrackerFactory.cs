using TrackSharp.Config;
using TrackSharp.Tracking;

namespace TrackSharp.Trackers.SiamBAN;

/// <summary>
/// Builds SiamBAN trackers from a weights file. No SiamBAN weights ship with TrackSharp, so a weights path is
/// required. As in the reference's <c>experiments/&lt;name&gt;/</c> folders, a <c>config.yaml</c> next to the
/// weights describes the network and the tracker; without one the published <c>siamban_r50_l234</c> settings apply.
/// </summary>
public static class SiamBanTrackerFactory
{
    public const string ConfigFileName = "config.yaml";

    /// <summary>A tracker for the weights in <see cref="TrackerOptions.WeightsPath"/> (required).</summary>
    public static SiamBanTracker Create(TrackerOptions options)
    {
        if (string.IsNullOrEmpty(options.WeightsPath))
            throw new ArgumentException(
                "siamban needs a weights file (--weights FILE): TrackSharp ships no SiamBAN weights. " +
                $"A {ConfigFileName} beside the weights (the reference's experiments/<name>/ layout) selects the network and tracker settings.");
        string? config = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.WeightsPath))!, ConfigFileName);
        return Create(options.WeightsPath, File.Exists(config) ? config : null, options);
    }

    /// <summary>
    /// A tracker for <paramref name="weightsPath"/> configured by <paramref name="configPath"/> (a SiamBAN experiment
    /// YAML; null = <c>siamban_r50_l234</c>).
    /// </summary>
    public static SiamBanTracker Create(string weightsPath, string? configPath, TrackerOptions? options = null)
    {
        options ??= new TrackerOptions();
        if (options.Threads > 0) TorchSharp.torch.set_num_threads(options.Threads);
        SiamBanModelOptions modelOptions;
        SiamBanTrackerConfig trackerConfig;
        if (configPath is null)
        {
            modelOptions = SiamBanModelOptions.R50L234;
            trackerConfig = SiamBanTrackerConfig.R50L234;
        }
        else
        {
            var config = ConfigLoader.Load(ConfigFamily.SiamBan, configPath);
            modelOptions = SiamBanModelOptions.FromConfig(config);
            trackerConfig = SiamBanTrackerConfig.FromConfig(config);
        }
        var model = SiamBanFactory.LoadModel(weightsPath, modelOptions);
        try
        {
            return new SiamBanTracker(model, trackerConfig, options.LostThreshold);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
