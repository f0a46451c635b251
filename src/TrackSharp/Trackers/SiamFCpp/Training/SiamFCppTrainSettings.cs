using System.Text.Json;
using TrackSharp.Config;
using TrackSharp.Data.Targets;
using TrackSharp.Training.Schedules;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>videoanalyst's <c>DenseboxTarget</c> hyper-parameters (<c>data.target.DenseboxTarget</c>).</summary>
public sealed record SiamFCppTargetSettings(int ZSize = 127, int XSize = 303, int ScoreSize = 17, int ScoreOffset = 87,
    int TotalStride = 8, int NumConv3x3 = 3)
{
    /// <summary>The target generator. videoanalyst recomputes score size and offset from the sizes, stride and
    /// conv count (its <c>update_params</c>), so the stored <see cref="ScoreSize"/>/<see cref="ScoreOffset"/> only
    /// have to agree with them.</summary>
    public DenseboxTarget CreateTarget() => DenseboxTarget.FromSizes(ZSize, XSize, TotalStride, NumConv3x3);
}

/// <summary>The SGD settings of <c>optim.optimizer.SGD</c>; <see cref="Nesterov"/> and <see cref="Dampening"/>
/// are torch's defaults (false, 0) when the config does not set them, as videoanalyst passes neither.</summary>
/// <param name="Lr">The configured base lr (the schedule overrides it every iteration).</param>
/// <param name="Momentum"><c>momentum</c>.</param>
/// <param name="WeightDecay"><c>weight_decay</c> (applied to every parameter, BN and biases included).</param>
/// <param name="Nesterov"><c>nesterov</c> (false when absent).</param>
/// <param name="Dampening"><c>dampening</c> (0 when absent).</param>
/// <param name="Minibatch">The optimizer's <c>minibatch</c>: with <see cref="NrImagePerEpoch"/> it fixes the
/// schedule's iterations per epoch.</param>
/// <param name="NrImagePerEpoch">The optimizer's <c>nr_image_per_epoch</c>.</param>
public sealed record SiamFCppSgdSettings(double Lr, double Momentum, double WeightDecay, bool Nesterov, double Dampening,
    int Minibatch, int NrImagePerEpoch)
{
    /// <summary><c>nr_image_per_epoch // minibatch</c>: the LR policy's iterations per epoch.</summary>
    public int IterationsPerEpoch => NrImagePerEpoch / Minibatch;
}

/// <summary>
/// The parts of a videoanalyst SiamFC++ training config (<c>config_train_track.yaml</c> layout) that the training
/// pieces need, typed. <see cref="FromConfig"/> reads them from a loaded <see cref="ExperimentConfig"/> of family
/// <c>video_analyst</c>; a missing key or a bad value throws a <see cref="ConfigException"/> naming the key path
/// (list elements as <c>[i]</c>) and where it was set. The LR policy, LR multipliers and freezer schedule are JSON
/// strings in the reference's YAML; they are parsed here.
/// </summary>
/// <param name="NegativePairRatio"><c>data.sampler.TrackPairSampler.negative_pair_ratio</c>.</param>
/// <param name="Crop"><c>data.transformer.RandomCropTransformer</c>.</param>
/// <param name="Target"><c>data.target.DenseboxTarget</c>.</param>
/// <param name="Sgd"><c>optim.optimizer.SGD</c> scalars.</param>
/// <param name="LrPolicy"><c>optim.optimizer.SGD.lr_policy</c> (LinearLR / CosineLR phases).</param>
/// <param name="LrMultipliers"><c>optim.optimizer.SGD.lr_multiplier</c> (param groups by regex).</param>
/// <param name="FreezeSchedule"><c>optim.grad_modifier.DynamicFreezer.schedule</c> (empty when the config has
/// no <c>DynamicFreezer</c>).</param>
/// <param name="Minibatch"><c>data.minibatch</c>.</param>
/// <param name="NrImagePerEpoch"><c>data.nr_image_per_epoch</c>.</param>
/// <param name="NumEpochs"><c>data.num_epochs</c>.</param>
public sealed record SiamFCppTrainSettings(
    double NegativePairRatio,
    SiamFCppCropSettings Crop,
    SiamFCppTargetSettings Target,
    SiamFCppSgdSettings Sgd,
    IReadOnlyList<LrPhase> LrPolicy,
    IReadOnlyList<LrMultiplier> LrMultipliers,
    IReadOnlyList<FreezeRule> FreezeSchedule,
    int Minibatch,
    int NrImagePerEpoch,
    int NumEpochs)
{
    private const string Sampler = "data.sampler.TrackPairSampler", Transformer = "data.transformer.RandomCropTransformer",
        TargetKey = "data.target.DenseboxTarget", SgdKey = "optim.optimizer.SGD", FreezerKey = "optim.grad_modifier.DynamicFreezer";

    /// <summary>Iterations (batches) per epoch of the data: <c>nr_image_per_epoch // minibatch</c>.</summary>
    public int IterationsPerEpoch => NrImagePerEpoch / Minibatch;

    /// <summary>The LR policy at the optimizer's iterations per epoch.</summary>
    public MultiStageLrSchedule LrSchedule() => new(LrPolicy, Sgd.IterationsPerEpoch);

    public DynamicFreezer Freezer() => new(FreezeSchedule);

    /// <summary>Reads the settings from a video_analyst training config.</summary>
    /// <exception cref="ConfigException">A key is missing or holds a value of the wrong kind or range; the message
    /// names the key path and the file and line.</exception>
    public static SiamFCppTrainSettings FromConfig(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        double negative = config.Get<double>($"{Sampler}.negative_pair_ratio");
        if (!(negative is >= 0 and <= 1)) throw Bad(config, $"{Sampler}.negative_pair_ratio", $"must be in [0, 1], got {negative}");

        var crop = new SiamFCppCropSettings(
            config.Get<double>($"{Transformer}.context_amount"),
            config.Get<double>($"{Transformer}.max_scale"),
            config.Get<double>($"{Transformer}.max_shift"),
            config.Get<double>($"{Transformer}.max_scale_temp"),
            config.Get<double>($"{Transformer}.max_shift_temp"),
            config.Get<int>($"{Transformer}.z_size"),
            config.Get<int>($"{Transformer}.x_size"));
        try { crop.Validate(); }
        catch (ArgumentException e) { throw Bad(config, Transformer, e.Message); }

        var target = new SiamFCppTargetSettings(
            config.Get<int>($"{TargetKey}.z_size"), config.Get<int>($"{TargetKey}.x_size"),
            config.Get<int>($"{TargetKey}.score_size"), config.Get<int>($"{TargetKey}.score_offset"),
            config.Get<int>($"{TargetKey}.total_stride"), config.Get<int>($"{TargetKey}.num_conv3x3"));
        if (target.TotalStride <= 0) throw Bad(config, $"{TargetKey}.total_stride", $"must be positive, got {target.TotalStride}");

        var sgd = new SiamFCppSgdSettings(
            config.Get<double>($"{SgdKey}.lr"),
            config.Get<double>($"{SgdKey}.momentum"),
            config.Get<double>($"{SgdKey}.weight_decay"),
            config.Get($"{SgdKey}.nesterov", false),
            config.Get($"{SgdKey}.dampening", 0.0),
            Positive(config, $"{SgdKey}.minibatch"),
            Positive(config, $"{SgdKey}.nr_image_per_epoch"));
        if (sgd.IterationsPerEpoch < 1)
            throw Bad(config, $"{SgdKey}.nr_image_per_epoch", $"{sgd.NrImagePerEpoch} images make no batch of {sgd.Minibatch}");

        var policy = JsonItems(config, $"{SgdKey}.lr_policy", (e, path) =>
        {
            string name = JsonString(config, e, path, "name");
            var shape = name switch
            {
                "LinearLR" => LrPhaseShape.Linear,
                "CosineLR" => LrPhaseShape.Cosine,
                _ => throw Bad(config, path, $"unknown LR policy '{name}' (known: LinearLR, CosineLR)"),
            };
            int epochs = JsonInt(config, e, path, "max_epoch");
            if (epochs < 1) throw Bad(config, path, $"max_epoch must be >= 1, got {epochs}");
            return new LrPhase(shape, JsonDouble(config, e, path, "start_lr"), JsonDouble(config, e, path, "end_lr"), epochs);
        });
        if (policy.Count == 0) throw Bad(config, $"{SgdKey}.lr_policy", "the LR policy has no phase");

        var multipliers = JsonItems(config, $"{SgdKey}.lr_multiplier", (e, path) =>
            new LrMultiplier(JsonString(config, e, path, "name"), JsonRegex(config, e, path), JsonDouble(config, e, path, "ratio")));

        var freeze = config.Contains(FreezerKey)
            ? JsonItems(config, $"{FreezerKey}.schedule", (e, path) =>
                new FreezeRule(JsonString(config, e, path, "name"), JsonRegex(config, e, path), JsonInt(config, e, path, "epoch"),
                    JsonBool(config, e, path, "freezed")))
            : [];

        return new SiamFCppTrainSettings(negative, crop, target, sgd, policy, multipliers, freeze,
            Positive(config, "data.minibatch"), Positive(config, "data.nr_image_per_epoch"), Positive(config, "data.num_epochs"));
    }

    private static int Positive(ExperimentConfig config, string path)
    {
        int v = config.Get<int>(path);
        return v >= 1 ? v : throw Bad(config, path, $"must be >= 1, got {v}");
    }

    private static ConfigException Bad(ExperimentConfig config, string path, string problem) => config.Error(path, problem);

    /// <summary>Each element of the list at <paramref name="path"/> is a JSON object in a string (videoanalyst's
    /// <c>json.loads</c> of each entry).</summary>
    private static List<T> JsonItems<T>(ExperimentConfig config, string path, Func<JsonElement, string, T> parse)
    {
        var items = config.Get<string[]>(path);
        var result = new List<T>(items.Length);
        for (int i = 0; i < items.Length; i++)
        {
            string itemPath = $"{path}[{i}]";
            JsonDocument doc;
            try { doc = JsonDocument.Parse(items[i]); }
            catch (JsonException e) { throw Bad(config, path, $"element {i} is not a JSON object: {e.Message}"); }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw Bad(config, path, $"element {i} is not a JSON object: {items[i].Trim()}");
                result.Add(parse(doc.RootElement, itemPath));
            }
        }
        return result;
    }

    private static JsonElement JsonField(ExperimentConfig config, JsonElement e, string path, string key, JsonValueKind kind, string what)
    {
        if (!e.TryGetProperty(key, out var v))
            throw Bad(config, StripIndex(path), $"{path.Substring(path.LastIndexOf('['))}: no key '{key}'");
        if (v.ValueKind != kind && !(kind == JsonValueKind.True && v.ValueKind == JsonValueKind.False))
            throw Bad(config, StripIndex(path), $"{path.Substring(path.LastIndexOf('['))}.{key}: expected {what}, got {v.GetRawText()}");
        return v;
    }

    private static string StripIndex(string path) => path.Substring(0, path.LastIndexOf('['));

    private static string JsonString(ExperimentConfig c, JsonElement e, string path, string key) =>
        JsonField(c, e, path, key, JsonValueKind.String, "a string").GetString()!;

    private static double JsonDouble(ExperimentConfig c, JsonElement e, string path, string key) =>
        JsonField(c, e, path, key, JsonValueKind.Number, "a number").GetDouble();

    private static bool JsonBool(ExperimentConfig c, JsonElement e, string path, string key) =>
        JsonField(c, e, path, key, JsonValueKind.True, "true or false").GetBoolean();

    private static int JsonInt(ExperimentConfig c, JsonElement e, string path, string key)
    {
        var v = JsonField(c, e, path, key, JsonValueKind.Number, "an integer");
        return v.TryGetInt32(out int i) ? i
            : throw Bad(c, StripIndex(path), $"{path.Substring(path.LastIndexOf('['))}.{key}: expected an integer, got {v.GetRawText()}");
    }

    private static string JsonRegex(ExperimentConfig c, JsonElement e, string path)
    {
        string regex = JsonString(c, e, path, "regex");
        try { _ = new System.Text.RegularExpressions.Regex(regex); }
        catch (ArgumentException x) { throw Bad(c, StripIndex(path), $"{path.Substring(path.LastIndexOf('['))}.regex: invalid pattern '{regex}': {x.Message}"); }
        return regex;
    }
}
