using TrackSharp.Config;

namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>
/// Builds <see cref="SiamFCppModelConfig"/> and <see cref="SiamFCppTrackerConfig"/> from a resolved videoanalyst
/// task config (<see cref="ConfigFamily.VideoAnalyst"/>, e.g. the golden <c>config_train_track.yaml</c> or
/// <c>experiments/siamfcpp_*.yaml</c>). Keys read: <c>model.backbone.name</c> and its section
/// (<c>crop_pad</c>, ShuffleNetV2's <c>head_width</c>), <c>model.task_model.SiamTrack.{head_width, neck_conv_bias}</c>,
/// <c>model.task_head.DenseboxHead.{head_width, num_conv3x3, head_conv_bn, total_stride, x_size, score_size,
/// input_size_adapt}</c> and <c>pipeline.SiamFCppTracker.*</c>. Every bad value throws a <see cref="ConfigException"/>
/// naming the file, line and key.
/// </summary>
public static class SiamFCppConfigReader
{
    private const string Backbone = "model.backbone";
    private const string Head = "model.task_head.DenseboxHead";
    private const string TaskModel = "model.task_model.SiamTrack";
    private const string DefaultTracker = "SiamFCppTracker";

    /// <summary>
    /// The network as the <c>model</c> section describes it (the head's <c>x_size</c>: for a training config, the
    /// training search size). <c>z_size</c> comes from <c>pipeline.SiamFCppTracker.z_size</c> (127 when absent).
    /// </summary>
    public static SiamFCppModelConfig ReadModel(ExperimentConfig cfg)
    {
        string name = cfg.Get<string>($"{Backbone}.name");
        if (!SiamFCppBackbones.Names.Contains(name))
            throw Error(cfg, $"{Backbone}.name", $"unknown backbone '{name}' (known: {string.Join(", ", SiamFCppBackbones.Names)})");
        string section = $"{Backbone}.{name}";
        var sectionNode = cfg.Node(section);
        if (!sectionNode.IsMap)
            throw Error(cfg, section, "expected a mapping with the backbone's settings");

        Require(cfg, "model.task_head.name", "DenseboxHead");
        Require(cfg, "model.task_model.name", "SiamTrack");
        int headWidth = cfg.Get<int>($"{TaskModel}.head_width");
        int denseboxWidth = cfg.Get<int>($"{Head}.head_width");
        if (denseboxWidth != headWidth)
            throw Error(cfg, $"{Head}.head_width", $"{denseboxWidth} differs from {TaskModel}.head_width {headWidth}; the head takes the neck's channels");

        int numConv = cfg.Get<int>($"{Head}.num_conv3x3");
        var convBn = cfg.Get<bool[]>($"{Head}.head_conv_bn");
        if (convBn.Length != numConv)
            throw Error(cfg, $"{Head}.head_conv_bn", $"has {convBn.Length} flags but {Head}.num_conv3x3 is {numConv}");
        var neckBias = cfg.Get($"{TaskModel}.neck_conv_bias", new[] { true, true, true, true });
        if (neckBias.Length != 4 || neckBias.Any(b => !b))
            throw Error(cfg, $"{TaskModel}.neck_conv_bias", "only [true, true, true, true] (every adjust conv with bias) is supported");

        var config = new SiamFCppModelConfig
        {
            BackboneName = name,
            HeadWidth = headWidth,
            NumConv3x3 = numConv,
            HeadConvBn = convBn,
            NeckConvBias = neckBias,
            TotalStride = Positive(cfg, $"{Head}.total_stride"),
            XSize = Positive(cfg, $"{Head}.x_size"),
            ZSize = cfg.Contains($"pipeline.{DefaultTracker}.z_size") ? Positive(cfg, $"pipeline.{DefaultTracker}.z_size") : 127,
            InputSizeAdapt = cfg.Get($"{Head}.input_size_adapt", false),
        };
        config = name switch
        {
            SiamFCppBackbones.AlexNet => config with { BackboneWidths = AlexNetWidths(cfg, section, headWidth) },
            SiamFCppBackbones.Inception3 => config with { CropPad = CropPad(cfg, section) },
            _ => config with
            {
                CropPad = CropPad(cfg, section),
                BackboneHeadWidth = cfg.Contains($"{section}.head_width") ? Positive(cfg, $"{section}.head_width") : 256,
            },
        };

        int backboneChannels = name switch
        {
            SiamFCppBackbones.AlexNet => config.BackboneWidths[4],
            SiamFCppBackbones.Inception3 => Backbones.SiamFCppInception3.Channels,
            _ => config.BackboneHeadWidth,
        };
        if (backboneChannels != headWidth)
            throw Error(cfg, $"{TaskModel}.head_width",
                $"{headWidth}, but the {name} backbone ends with {backboneChannels} channels" +
                (name.StartsWith("ShuffleNet", StringComparison.Ordinal) ? $" ({section}.head_width)" : ""));
        if (cfg.Contains($"{Head}.score_size") && !config.InputSizeAdapt)
        {
            int scoreSize = cfg.Get<int>($"{Head}.score_size");
            if (scoreSize != config.ScoreSize)
                throw Error(cfg, $"{Head}.score_size",
                    $"{scoreSize}, but x_size {config.XSize}, z_size {config.ZSize}, total_stride {config.TotalStride} and " +
                    $"num_conv3x3 {numConv} give a {config.ScoreSize}x{config.ScoreSize} score map");
        }
        try { config.Validate(); }
        catch (ArgumentException e) { throw Error(cfg, "model", e.Message); }
        return config;
    }

    /// <summary>
    /// The network for tracking with <paramref name="cfg"/>: <see cref="ReadModel"/> with the search and template
    /// sizes of <c>pipeline.&lt;trackerName&gt;</c> (a training config's head may name another, training x_size).
    /// </summary>
    public static SiamFCppModelConfig ReadTrackingModel(ExperimentConfig cfg, string trackerName = DefaultTracker)
    {
        var model = ReadModel(cfg);
        var tracker = ReadTracker(cfg, trackerName);
        if (tracker.NumConv3x3 != model.NumConv3x3 || tracker.TotalStride != model.TotalStride)
            throw Error(cfg, $"pipeline.{trackerName}.num_conv3x3",
                $"the tracker's num_conv3x3 {tracker.NumConv3x3} / total_stride {tracker.TotalStride} differ from the head's " +
                $"({Head}: {model.NumConv3x3} / {model.TotalStride})");
        return model with { XSize = tracker.XSize, ZSize = tracker.ZSize };
    }

    /// <summary>
    /// The tracker hyper-parameters of <c>pipeline.&lt;trackerName&gt;</c>; keys not present keep the
    /// <see cref="SiamFCppTrackerConfig.Default"/> values (a resolved config has them all).
    /// </summary>
    public static SiamFCppTrackerConfig ReadTracker(ExperimentConfig cfg, string trackerName = DefaultTracker)
    {
        string p = $"pipeline.{trackerName}";
        if (!cfg.Node(p).IsMap) throw Error(cfg, p, "expected a mapping with the tracker's settings");
        var d = SiamFCppTrackerConfig.Default;
        var c = new SiamFCppTrackerConfig
        {
            ContextAmount = cfg.Get($"{p}.context_amount", d.ContextAmount),
            ZSize = cfg.Get($"{p}.z_size", d.ZSize),
            XSize = cfg.Get($"{p}.x_size", d.XSize),
            NumConv3x3 = cfg.Get($"{p}.num_conv3x3", d.NumConv3x3),
            TotalStride = cfg.Get($"{p}.total_stride", d.TotalStride),
            PenaltyK = cfg.Get($"{p}.penalty_k", d.PenaltyK),
            WindowInfluence = cfg.Get($"{p}.window_influence", d.WindowInfluence),
            Windowing = cfg.Get($"{p}.windowing", d.Windowing),
            TestLr = cfg.Get($"{p}.test_lr", d.TestLr),
            MinW = cfg.Get($"{p}.min_w", d.MinW),
            MinH = cfg.Get($"{p}.min_h", d.MinH),
        };
        try { c.Validate(); }
        catch (ArgumentException e) { throw Error(cfg, p, e.Message); }
        return c;
    }

    /// <summary>
    /// AlexNet widths: <c>model.backbone.AlexNet.widths</c> when the file has it (a TrackSharp key), else the
    /// published (96, 256, 384, 384, 256) scaled by head_width / 256 — videoanalyst's AlexNet is fixed and its
    /// conv5 feeds the neck, so head_width 256 is the published model and 64 the golden width-/4 one.
    /// </summary>
    private static int[] AlexNetWidths(ExperimentConfig cfg, string section, int headWidth)
    {
        if (cfg.Contains($"{section}.widths"))
        {
            var widths = cfg.Get<int[]>($"{section}.widths");
            if (widths.Length != 5 || widths.Any(w => w < 1))
                throw Error(cfg, $"{section}.widths", $"needs five positive conv1..conv5 widths, got [{string.Join(", ", widths)}]");
            return widths;
        }
        var published = SiamFCppAlexNet.PublishedWidths;
        if (published.Any(w => w * headWidth % 256 != 0))
            throw Error(cfg, $"{TaskModel}.head_width",
                $"{headWidth}: the AlexNet widths scale with head_width / 256 and must stay whole; set {section}.widths");
        return published.Select(w => w * headWidth / 256).ToArray();
    }

    private static int CropPad(ExperimentConfig cfg, string section) =>
        cfg.Contains($"{section}.crop_pad") ? Positive(cfg, $"{section}.crop_pad") : 4;

    private static int Positive(ExperimentConfig cfg, string key)
    {
        int v = cfg.Get<int>(key);
        return v >= 1 ? v : throw Error(cfg, key, $"must be >= 1, got {v}");
    }

    private static void Require(ExperimentConfig cfg, string key, string expected)
    {
        string v = cfg.Get<string>(key);
        if (v != expected) throw Error(cfg, key, $"'{v}' is not supported; SiamFC++ needs '{expected}'");
    }

    private static ConfigException Error(ExperimentConfig cfg, string key, string problem)
    {
        var source = cfg.Contains(key) ? cfg.Node(key).Source : cfg.Root.Source;
        return new ConfigException(new ConfigError(source, key, problem));
    }
}
