using System.Globalization;
using TrackSharp.Config;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// Reads pytracking's tracker parameter files (<c>parameter/trdimp/trdimp.py</c>, <c>trsiam.py</c>) written as YAML (or
/// JSON) with the reference's key names, flat (<c>net_opt_iter: 10</c>) plus the <c>augmentation</c> map. Keys not in
/// the file keep the values of the baseline (<see cref="TrDiMPTrackerParams.TrDiMP"/> or <c>TrSiam</c>). Keys that only
/// describe the Python run (<c>debug</c>, <c>use_gpu</c>, <c>net</c>, …) are accepted and ignored; keys that select a code
/// path this port has fixed must have the reference value; any other key is an error naming file, line and key.
/// </summary>
public static class TrDiMPParamsYaml
{
    private static readonly HashSet<string> Ignored = ["debug", "visualization", "use_gpu", "device", "net", "vot_anno_conversion_type"];

    /// <summary>Keys whose value this port does not vary, with the one it implements.</summary>
    private static readonly Dictionary<string, object> Fixed = new()
    {
        ["border_mode"] = "inside_major", ["update_classifier"] = true, ["window_output"] = false, ["use_augmentation"] = true,
        ["advanced_localization"] = true, ["box_refinement_space"] = "relative", ["iounet_augmentation"] = false,
        ["use_iou_net"] = true, ["use_classifier"] = true,
    };

    /// <exception cref="ConfigException">The file is missing or not YAML.</exception>
    /// <exception cref="FormatException">A key is unknown, has the wrong type, or a fixed value differs (message names file:line and key).</exception>
    public static TrDiMPTrackerParams Load(string path, TrDiMPTrackerParams baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var root = ConfigYaml.ParseFile(path);
        if (!root.IsMap) throw new FormatException($"{root.Source}: a TrDiMP parameter file must be a map of pytracking parameter names");
        var p = baseline;
        var loc = p.Localization;
        var refine = p.Refinement;
        foreach (var (key, node) in root.Entries)
        {
            if (Ignored.Contains(key)) continue;
            if (Fixed.TryGetValue(key, out var expected))
            {
                object? actual = node.Value;
                if (!Equals(actual, expected))
                    throw new FormatException($"{node.Source}: '{key}' must be {Format(expected)} (the only setting implemented), got {Format(actual)}");
                continue;
            }
            switch (key)
            {
                case "image_sample_size": p = p with { ImageSampleSize = Int(node, key) }; break;
                case "search_area_scale": p = p with { SearchAreaScale = Num(node, key) }; break;
                case "patch_max_scale_change": p = p with { PatchMaxScaleChange = Num(node, key) }; break;
                case "sample_memory_size": p = p with { SampleMemorySize = Int(node, key) }; break;
                case "learning_rate": p = p with { LearningRate = Num(node, key) }; break;
                case "init_samples_minimum_weight": p = p with { InitSamplesMinimumWeight = Num(node, key) }; break;
                case "train_skipping": p = p with { TrainSkipping = Int(node, key) }; break;
                case "net_opt_iter": p = p with { NetOptIter = Int(node, key) }; break;
                case "net_opt_update_iter": p = p with { NetOptUpdateIter = Int(node, key) }; break;
                case "net_opt_hn_iter": p = p with { NetOptHnIter = Int(node, key) }; break;
                case "transformer_skipping": p = p with { TransformerSkipping = Int(node, key) }; break;
                case "transformer_memory_size": p = p with { TransformerMemorySize = Int(node, key) }; break;
                case "hard_negative_learning_rate": p = p with { HardNegativeLearningRate = Num(node, key) }; break;
                case "target_inside_ratio": p = p with { TargetInsideRatio = Num(node, key) }; break;
                case "update_scale_when_uncertain": p = p with { UpdateScaleWhenUncertain = Bool(node, key) }; break;
                case "num_init_random_boxes": p = p with { NumInitRandomBoxes = Int(node, key) }; break;
                case "augmentation_expansion_factor": p = p with { AugmentationExpansionFactor = Num(node, key) }; break;
                case "random_shift_factor": p = p with { RandomShiftFactor = Num(node, key) }; break;
                case "augmentation": p = Augmentation(node, p); break;
                case "target_not_found_threshold": loc = loc with { TargetNotFoundThreshold = Num(node, key) }; break;
                case "distractor_threshold": loc = loc with { DistractorThreshold = Num(node, key) }; break;
                case "hard_negative_threshold": loc = loc with { HardNegativeThreshold = Num(node, key) }; break;
                case "target_neighborhood_scale": loc = loc with { TargetNeighborhoodScale = Num(node, key) }; break;
                case "dispalcement_scale": // the reference's spelling
                case "displacement_scale": loc = loc with { DisplacementScale = Num(node, key) }; break;
                case "uncertain_threshold": loc = loc with { UncertainThreshold = Num(node, key) }; break;
                case "hard_sample_threshold": loc = loc with { HardSampleThreshold = Num(node, key) }; break;
                case "box_refinement_iter": refine = refine with { Iterations = Int(node, key) }; break;
                case "box_refinement_step_length": refine = refine with { StepLength = Num(node, key) }; break;
                case "box_refinement_step_decay": refine = refine with { StepDecay = Num(node, key) }; break;
                case "box_jitter_pos": refine = refine with { BoxJitterPos = Num(node, key) }; break;
                case "box_jitter_sz": refine = refine with { BoxJitterSz = Num(node, key) }; break;
                case "maximal_aspect_ratio": refine = refine with { MaximalAspectRatio = Num(node, key) }; break;
                case "iounet_k": refine = refine with { TopK = Int(node, key) }; break;
                default: throw new FormatException($"{node.Source}: unknown TrDiMP parameter '{key}'");
            }
        }
        return p with { Localization = loc, Refinement = refine };
    }

    private static TrDiMPTrackerParams Augmentation(ConfigNode node, TrDiMPTrackerParams p)
    {
        if (!node.IsMap) throw new FormatException($"{node.Source}: 'augmentation' must be a map");
        // Present augmentation keys replace the baseline's; absent ones mean "not used", as in pytracking.
        p = p with { FlipLr = false, RotateDegrees = [], BlurSigmas = [], RelativeShifts = [], Dropout = (0, 0) };
        foreach (var (key, v) in node.Entries)
        {
            string k = "augmentation." + key;
            switch (key)
            {
                case "fliplr": p = p with { FlipLr = Bool(v, k) }; break;
                case "rotate": p = p with { RotateDegrees = List(v, k).Select(x => Num(x, k)).ToArray() }; break;
                case "blur": p = p with { BlurSigmas = List(v, k).Select(x => Pair(x, k)).ToArray() }; break;
                case "relativeshift": p = p with { RelativeShifts = List(v, k).Select(x => Pair(x, k)).ToArray() }; break;
                case "dropout":
                    var d = List(v, k);
                    if (d.Count != 2) throw new FormatException($"{v.Source}: '{k}' must be [count, probability]");
                    p = p with { Dropout = (Int(d[0], k), Num(d[1], k)) };
                    break;
                default: throw new FormatException($"{v.Source}: unknown augmentation '{key}' (fliplr, rotate, blur, relativeshift, dropout)");
            }
        }
        return p;
    }

    private static (double, double) Pair(ConfigNode node, string key)
    {
        var items = List(node, key);
        if (items.Count != 2) throw new FormatException($"{node.Source}: each '{key}' entry must be a pair [y, x]");
        return (Num(items[0], key), Num(items[1], key));
    }

    private static IReadOnlyList<ConfigNode> List(ConfigNode node, string key) =>
        node.IsList ? node.Items : throw new FormatException($"{node.Source}: '{key}' must be a list");

    private static double Num(ConfigNode node, string key) => node.Value switch
    {
        long l => l,
        double d => d,
        _ => throw new FormatException($"{node.Source}: '{key}' must be a number, got {Format(node.Value)}"),
    };

    private static int Int(ConfigNode node, string key) => node.Value is long l && l is >= int.MinValue and <= int.MaxValue
        ? (int)l
        : throw new FormatException($"{node.Source}: '{key}' must be an integer, got {Format(node.Value)}");

    private static bool Bool(ConfigNode node, string key) => node.Value is bool b
        ? b
        : throw new FormatException($"{node.Source}: '{key}' must be true or false, got {Format(node.Value)}");

    private static string Format(object? v) => v switch
    {
        null => "null",
        string s => $"'{s}'",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
