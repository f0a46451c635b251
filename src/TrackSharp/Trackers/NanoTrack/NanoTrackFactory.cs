using TrackSharp.Checkpoints;
using TrackSharp.Tracking;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// Builds NanoTrack trackers from weights: the official <c>.pth</c> files (TorchSharp backend) or the v2
/// ONNX pair (ONNX Runtime backend). Weights default to the copies shipped in <c>models/nanotrack/</c>.
/// </summary>
public static class NanoTrackFactory
{
    public const string OnnxBackboneFile = "nanotrack/onnx_v2/nanotrack_backbone_sim.onnx";
    public const string OnnxHeadFile = "nanotrack/onnx_v2/nanotrack_head_sim.onnx";

    public static string DefaultWeightsFile(NanoTrackVersion version) => $"nanotrack/nanotrack{version.Name()}.pth";

    /// <summary>
    /// Tells the version from the head's parameter names (the reference configs cannot: v1 and v2 share one):
    /// v1 has <c>ban_head.corr_pw.*</c>, v3 has <c>ban_head.corr_dw_*</c>, v2 has neither.
    /// </summary>
    public static NanoTrackVersion? DetectVersion(IEnumerable<string> keys)
    {
        var list = keys.ToList();
        if (!list.Any(k => k.StartsWith("ban_head.", StringComparison.Ordinal))) return null;
        if (list.Any(k => k.StartsWith("ban_head.corr_dw_", StringComparison.Ordinal))) return NanoTrackVersion.V3;
        if (list.Any(k => k.StartsWith("ban_head.corr_pw.", StringComparison.Ordinal))) return NanoTrackVersion.V1;
        if (list.Any(k => k.StartsWith("ban_head.corr_pw_cls.", StringComparison.Ordinal))) return NanoTrackVersion.V2;
        return null;
    }

    /// <summary>
    /// Loads a NanoTrack model from a checkpoint (bare or <c>{'state_dict': ...}</c>, <c>module.</c> prefix
    /// tolerated). The key set must match exactly; otherwise the error lists the offending keys by name.
    /// </summary>
    /// <param name="weightsPath">The .pth file.</param>
    /// <param name="version">Expected version; null detects it from the keys.</param>
    public static NanoTrackModel LoadModel(string weightsPath, NanoTrackVersion? version = null)
    {
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException($"weights file '{weightsPath}' does not exist", weightsPath);
        using var stateDict = StateDict.Load(weightsPath);
        var detected = DetectVersion(stateDict.Keys);
        if (version is { } wanted && detected is { } found && wanted != found)
            throw new ArgumentException(
                $"'{weightsPath}' holds NanoTrack {found.Name()} weights but {wanted.Name()} was asked for; " +
                $"drop --version or pass {found.Name()}");
        var model = new NanoTrackModel(version ?? detected ?? NanoTrackVersion.V3);
        try
        {
            stateDict.LoadInto(model, strict: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>A TorchSharp NanoTrack tracker; <see cref="TrackerOptions.Version"/> picks v1/v2/v3 (default v3).</summary>
    public static NanoTracker Create(TrackerOptions options, NanoTrackVersion? fixedVersion = null)
    {
        if (options.Threads > 0) TorchSharp.torch.set_num_threads(options.Threads);
        NanoTrackVersion? asked = fixedVersion ?? (options.Version is null ? null : NanoTrackVersions.Parse(options.Version));
        string path = options.WeightsPath ?? ModelStore.Resolve(DefaultWeightsFile(asked ?? NanoTrackVersion.V3));
        var model = LoadModel(path, asked);
        var config = NanoTrackConfig.For(model.Version);
        return new NanoTracker(new TorchNanoTrackNetwork(model), config, options.LostThreshold);
    }

    /// <summary>
    /// The ONNX Runtime NanoTrack v2 tracker. <see cref="TrackerOptions.WeightsPath"/>, when given, is the
    /// backbone .onnx; the head is expected beside it under its official name.
    /// </summary>
    public static NanoTracker CreateOnnx(TrackerOptions options)
    {
        if (options.Version is not null && NanoTrackVersions.Parse(options.Version) != NanoTrackVersion.V2)
            throw new ArgumentException("the ONNX backend runs the official NanoTrack v2 export only (--version v2)");
        string backbone = options.WeightsPath ?? ModelStore.Resolve(OnnxBackboneFile);
        string head = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(backbone))!, Path.GetFileName(OnnxHeadFile));
        foreach (var file in new[] { backbone, head })
            if (!File.Exists(file)) throw new FileNotFoundException($"ONNX model '{file}' does not exist", file);
        var network = new OnnxNanoTrackNetwork(backbone, head, options.Threads);
        return new NanoTracker(network, NanoTrackConfig.For(NanoTrackVersion.V2), options.LostThreshold, "nanotrack-onnx");
    }
}
