using TrackSharp.Config;
using TrackSharp.Geometry;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>
/// Rejects training boxes that are too small, too large or too elongated for their frame (videoanalyst's
/// <c>TrackPairFilter</c>, <c>data.sampler.submodules.filter.TrackPairFilter</c>): a box is kept when
/// <c>min_area_rate &lt; area / frame area &lt; max_area_rate</c> and <c>max(h/w, w/h) &lt; max_ratio</c>, with
/// the annotation's inclusive width <c>x1 - x0 + 1</c>. A rejected pair is redrawn by the loader.
/// </summary>
/// <remarks>
/// This is what the reference means, not what it does: its <c>filter_unreasonable_training_boxes</c> puts the two
/// area conditions in a tuple (always true, so the area limits never apply) and measures the ratio on an
/// (x, y, w, h) box read as corners, i.e. <c>(h - y + 1) / (w - x + 1)</c>. Training on those boxes would keep
/// tiny and frame-filling targets, which the published limits are there to remove.
/// </remarks>
public sealed record SiamFCppPairFilter(double MinAreaRate, double MaxAreaRate, double MaxRatio)
{
    private const string Section = "data.sampler.submodules.filter";

    /// <summary>The filter a config asks for, or null when it names none (<c>filter.name</c> empty or absent).</summary>
    /// <exception cref="ConfigException">An unknown filter or a bad limit (the message names the key).</exception>
    public static SiamFCppPairFilter? FromConfig(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string name = config.Get($"{Section}.name", "");
        if (name.Length == 0) return null;
        if (name != "TrackPairFilter") throw config.Error($"{Section}.name", $"unknown filter '{name}' (known: TrackPairFilter)");
        string s = $"{Section}.TrackPairFilter";
        var filter = new SiamFCppPairFilter(config.Get<double>($"{s}.min_area_rate"), config.Get<double>($"{s}.max_area_rate"),
            config.Get<double>($"{s}.max_ratio"));
        if (!(filter.MinAreaRate >= 0 && filter.MinAreaRate < filter.MaxAreaRate))
            throw config.Error($"{s}.min_area_rate", $"needs 0 <= min_area_rate < max_area_rate, got {filter.MinAreaRate} and {filter.MaxAreaRate}");
        if (!(filter.MaxRatio > 1)) throw config.Error($"{s}.max_ratio", $"must be > 1, got {filter.MaxRatio}");
        return filter;
    }

    /// <summary>True when <paramref name="box"/> (inclusive corners, as the crop reads annotations) is unreasonable in a
    /// frame of <paramref name="frameWidth"/> x <paramref name="frameHeight"/>.</summary>
    public bool Rejects(BoxXyxy box, int frameWidth, int frameHeight)
    {
        double w = box.X2 - box.X1 + 1, h = box.Y2 - box.Y1 + 1;
        if (!(w > 0 && h > 0)) return true;
        double areaRate = w * h / ((double)frameWidth * frameHeight);
        double ratio = Math.Max(h / w, w / h);
        return !(areaRate > MinAreaRate && areaRate < MaxAreaRate && ratio < MaxRatio);
    }
}
