using TrackSharp.Checkpoints;
using TrackSharp.Config;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>
/// How a SiamFC++ model starts training, as videoanalyst builds it: the neck convs (<c>c_z_k, r_z_k, c_x, r_x</c>)
/// get weights ~ N(0, <c>SiamTrack.conv_weight_std</c>), the head's tower convs and 1x1 output convs weights
/// ~ N(0, <c>DenseboxHead.conv_weight_std</c>) with the classifier bias at the focal-loss prior
/// <c>-log((1 - 0.01) / 0.01)</c>; everything else keeps torch's default initialisation. Then the pretrained
/// weights the config names are loaded: <c>model.backbone.&lt;name&gt;.pretrain_model_path</c> into the backbone and
/// <c>model.task_model.SiamTrack.pretrain_model_path</c> into the whole model (strict).
/// </summary>
public static class SiamFCppInitialization
{
    /// <summary>The focal-loss prior probability of the classifier bias.</summary>
    public const double PriorProbability = 0.01;

    /// <summary>Re-initialises the neck and head convs as the reference does (seeded by the caller's torch RNG state).</summary>
    public static void ApplyReference(SiamFCppModel model, double neckStd, double headStd)
    {
        ArgumentNullException.ThrowIfNull(model);
        double priorBias = -Math.Log((1 - PriorProbability) / PriorProbability);
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters())
        {
            if (!name.EndsWith(".conv.weight", StringComparison.Ordinal) && name != "head.cls_score_p5.conv.bias") continue;
            if (IsNeck(name)) nn.init.normal_(p, 0, neckStd);
            else if (name == "head.cls_score_p5.conv.bias") nn.init.constant_(p, priorBias);
            else if (name.StartsWith("head.", StringComparison.Ordinal)) nn.init.normal_(p, 0, headStd);
        }

        static bool IsNeck(string name) => name.StartsWith("c_z_k.", StringComparison.Ordinal) || name.StartsWith("r_z_k.", StringComparison.Ordinal)
                                           || name.StartsWith("c_x.", StringComparison.Ordinal) || name.StartsWith("r_x.", StringComparison.Ordinal);
    }

    /// <summary>
    /// The reference initialisation with the config's standard deviations, then the config's pretrained weights.
    /// Relative weight paths are looked up in the working directory, then beside the config file.
    /// Returns one line per file loaded (for the log).
    /// </summary>
    /// <exception cref="ConfigException">A named weights file does not exist, or does not fit the model.</exception>
    public static IReadOnlyList<string> Apply(SiamFCppModel model, ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        ApplyReference(model,
            config.Get("model.task_model.SiamTrack.conv_weight_std", 0.01),
            config.Get("model.task_head.DenseboxHead.conv_weight_std", 0.0001));

        var log = new List<string>();
        string backbone = config.Get<string>("model.backbone.name");
        string backbonePath = $"model.backbone.{backbone}.pretrain_model_path";
        if (Resolve(config, backbonePath) is { } backboneFile)
        {
            using var state = StateDict.Load(backboneFile);
            // Backbone files hold the bare backbone (conv1.conv.weight) or a whole model (basemodel.conv1...).
            if (!state.Keys.Any(k => k.StartsWith("basemodel.", StringComparison.Ordinal)))
                state.Remap(new KeyMap().RenamePrefix("", "basemodel."));
            var report = state.LoadInto(model, strict: false);
            var missing = report.Missing.Where(k => k.StartsWith("basemodel.", StringComparison.Ordinal)).ToList();
            if (missing.Count > 0 || report.ShapeMismatched.Count > 0)
                throw config.Error(backbonePath, $"'{backboneFile}' does not fit the {backbone} backbone: " +
                    (missing.Count > 0 ? $"{missing.Count} tensors missing (e.g. {string.Join(", ", missing.Take(3))})" : "") +
                    (report.ShapeMismatched.Count > 0 ? $" {report.ShapeMismatched.Count} of other shapes (e.g. {report.ShapeMismatched[0].Name})" : ""));
            int loaded = report.Matched.Count;
            log.Add($"backbone weights from {backboneFile} ({loaded} tensors)");
        }

        const string modelPath = "model.task_model.SiamTrack.pretrain_model_path";
        if (Resolve(config, modelPath) is { } modelFile)
        {
            using var state = StateDict.Load(modelFile);
            try { state.LoadInto(model, strict: true); }
            catch (Exception e) when (e is not ConfigException) { throw config.Error(modelPath, $"'{modelFile}': {e.Message}"); }
            log.Add($"model weights from {modelFile}");
        }
        return log;
    }

    private static string? Resolve(ExperimentConfig config, string path)
    {
        string file = config.Get(path, "");
        if (file.Length == 0) return null;
        if (File.Exists(file)) return Path.GetFullPath(file);
        if (!Path.IsPathRooted(file) && config.Files.Count > 0)
        {
            string beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(config.Files[^1]))!, file);
            if (File.Exists(beside)) return beside;
        }
        throw config.Error(path, $"weights file '{file}' does not exist");
    }
}
