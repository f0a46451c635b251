using TrackSharp.Config;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>Reads <see cref="SiamFCppLossConfig"/> from a videoanalyst task config's <c>model.losses</c> section.</summary>
public static class SiamFCppLossSettings
{
    private const string Losses = "model.losses";

    /// <summary>
    /// The losses named in <c>model.losses.names</c>: one classification loss (<c>FocalLoss</c> or
    /// <c>SigmoidCrossEntropyRetina</c>: alpha, gamma, weight), <c>SigmoidCrossEntropyCenterness</c> (weight) and
    /// <c>IOULoss</c> (weight); background and ignore label from the classification loss.
    /// </summary>
    /// <exception cref="ConfigException">A loss is missing, unknown, or named twice for one role; the message names the key.</exception>
    public static SiamFCppLossConfig FromConfig(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var names = config.Get<List<string>>($"{Losses}.names");
        SiamFCppClsLoss? cls = null;
        bool ctr = false, reg = false;
        foreach (string name in names)
        {
            switch (name)
            {
                case "FocalLoss" or "SigmoidCrossEntropyRetina":
                    if (cls is not null) throw config.Error($"{Losses}.names", $"two classification losses ({cls} and {name})");
                    cls = Enum.Parse<SiamFCppClsLoss>(name);
                    break;
                case "SigmoidCrossEntropyCenterness": ctr = true; break;
                case "IOULoss": reg = true; break;
                default:
                    throw config.Error($"{Losses}.names",
                        $"unknown SiamFC++ loss '{name}' (known: FocalLoss, SigmoidCrossEntropyRetina, SigmoidCrossEntropyCenterness, IOULoss)");
            }
        }
        if (cls is null || !ctr || !reg)
            throw config.Error($"{Losses}.names",
                "SiamFC++ trains with one classification loss (FocalLoss or SigmoidCrossEntropyRetina), SigmoidCrossEntropyCenterness and IOULoss");

        string c = $"{Losses}.{cls}";
        return new SiamFCppLossConfig
        {
            ClsLoss = cls.Value,
            Alpha = config.Get<double>($"{c}.alpha"),
            Gamma = config.Get<double>($"{c}.gamma"),
            ClsWeight = config.Get<double>($"{c}.weight"),
            Background = config.Get($"{c}.background", 0f),
            IgnoreLabel = config.Get($"{c}.ignore_label", -1f),
            CtrWeight = config.Get<double>($"{Losses}.SigmoidCrossEntropyCenterness.weight"),
            RegWeight = config.Get<double>($"{Losses}.IOULoss.weight"),
        };
    }
}
