using System.Globalization;
using TrackSharp.Config;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// OSTrack's test-time crop settings (<c>lib/test/parameter/ostrack.py</c> reads them from the experiment's <c>TEST</c>
/// section): the template is cut once at <see cref="TemplateFactor"/> × the box's geometric-mean side and resized to
/// <see cref="TemplateSize"/>; each frame's search region at <see cref="SearchFactor"/> around the last state, resized to
/// <see cref="SearchSize"/>.
/// </summary>
public sealed record OSTrackTrackerConfig
{
    public double TemplateFactor { get; init; } = 2.0;
    public int TemplateSize { get; init; } = 128;
    public double SearchFactor { get; init; } = 4.0;
    public int SearchSize { get; init; } = 256;

    /// <summary>Margin of the final <c>clip_box</c> (pixels; the reference passes 10).</summary>
    public double ClipMargin { get; init; } = 10;

    /// <summary>The settings of <c>vitb_256_mae_ce_32x4_ep300</c> (and of the golden small config).</summary>
    public static OSTrackTrackerConfig VitB256 { get; } = new();

    /// <summary>Reads <c>TEST.TEMPLATE_FACTOR/TEMPLATE_SIZE/SEARCH_FACTOR/SEARCH_SIZE</c>.</summary>
    public static OSTrackTrackerConfig FromExperiment(ExperimentConfig config)
    {
        var c = new OSTrackTrackerConfig
        {
            TemplateFactor = config.Get<double>("TEST.TEMPLATE_FACTOR"),
            TemplateSize = config.Get<int>("TEST.TEMPLATE_SIZE"),
            SearchFactor = config.Get<double>("TEST.SEARCH_FACTOR"),
            SearchSize = config.Get<int>("TEST.SEARCH_SIZE"),
        };
        if (c.FindProblem() is var (key, message))
            throw new ConfigException(new ConfigError(config.Node(key).Source, key, message));
        return c;
    }

    /// <summary>The first out-of-range setting as (config key, message), or null.</summary>
    public (string Key, string Message)? FindProblem()
    {
        if (!(TemplateFactor > 0)) return ("TEST.TEMPLATE_FACTOR", $"{TemplateFactor.ToString(CultureInfo.InvariantCulture)} must be positive");
        if (TemplateSize < 1) return ("TEST.TEMPLATE_SIZE", $"{TemplateSize} must be positive");
        if (!(SearchFactor > 0)) return ("TEST.SEARCH_FACTOR", $"{SearchFactor.ToString(CultureInfo.InvariantCulture)} must be positive");
        if (SearchSize < 1) return ("TEST.SEARCH_SIZE", $"{SearchSize} must be positive");
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is out of range or does not fit <paramref name="model"/>.</summary>
    public void Validate(OSTrackModelConfig model)
    {
        if (FindProblem() is var (key, message)) throw new ArgumentException($"OSTrack tracker {key}: {message}");
        if (TemplateSize != model.TemplateSize || SearchSize != model.SearchSize)
            throw new ArgumentException(
                $"OSTrack tracker crops (TEST.TEMPLATE_SIZE {TemplateSize}, TEST.SEARCH_SIZE {SearchSize}) do not fit the network " +
                $"(DATA.TEMPLATE.SIZE {model.TemplateSize}, DATA.SEARCH.SIZE {model.SearchSize})");
    }
}
