using TrackSharp.Checkpoints;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// Loading weights into <see cref="OSTrackModel"/>: official OSTrack checkpoints (<c>{'net': state_dict, ...}</c> as the
/// trainer saves them, or a bare state dict), and MAE-pretrained ViT weights (<c>{'model': ...}</c>, the layout of
/// <c>mae_pretrain_vit_base.pth</c>) into the backbone the way <c>build_ostrack</c> + <c>finetune_track</c> do.
/// </summary>
public static class OSTrackCheckpoints
{
    /// <summary>
    /// Builds a model of <paramref name="config"/> and loads an official checkpoint strictly (any missing, unexpected or
    /// shape-mismatched key throws <see cref="CheckpointMismatchException"/> naming the file and the keys).
    /// The model is returned in evaluation mode.
    /// </summary>
    public static OSTrackModel LoadModel(string weightsPath, OSTrackModelConfig config)
    {
        var model = new OSTrackModel(config);
        try
        {
            LoadOfficial(model, weightsPath, strict: true);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads an official OSTrack checkpoint file (the <c>net</c> entry, or a bare state dict; a <c>module.</c> prefix is
    /// removed) into <paramref name="model"/> and reports missing/unexpected keys. Strict: a mismatch throws before
    /// anything is copied; non-strict: every name present in both with the same shape is copied.
    /// </summary>
    public static LoadReport LoadOfficial(OSTrackModel model, string weightsPath, bool strict = true)
    {
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException($"OSTrack weights file '{weightsPath}' does not exist", weightsPath);
        using var stateDict = StateDict.Load(weightsPath);
        return stateDict.LoadInto(model, strict);
    }

    /// <summary>Loads <c>mae_pretrain_vit_base.pth</c>-style weights (the <c>model</c> entry) from a file; see
    /// <see cref="LoadMaePretrained(OSTrackModel, StateDict)"/>.</summary>
    public static LoadReport LoadMaePretrained(OSTrackModel model, string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"pretrained ViT weights file '{path}' does not exist", path);
        using var stateDict = StateDict.Load(path);
        return LoadMaePretrained(model, stateDict);
    }

    /// <summary>
    /// Loads pretrained ViT weights (timm/MAE names: <c>cls_token</c>, <c>pos_embed</c> [1, 1 + 14·14, C],
    /// <c>patch_embed.proj.*</c>, <c>blocks.*</c>, <c>norm.*</c>) into the backbone, non-strictly as OSTrack does
    /// (<c>load_state_dict(checkpoint["model"], strict=False)</c>), then derives <c>pos_embed_z</c>/<c>pos_embed_x</c> from the
    /// loaded table by bicubic interpolation (align_corners = False) to the template and search grids. When the
    /// tracking stride differs from the pretrained patch size, the patch kernel is resized bicubically first.
    /// The report uses the model's names (<c>backbone.*</c>): missing = model tensors the file did not provide (the head,
    /// and <c>pos_embed_z</c>/<c>pos_embed_x</c> only when no position table was loaded); unexpected = file keys without a
    /// backbone counterpart (MAE decoder, mask token, ...).
    /// </summary>
    public static LoadReport LoadMaePretrained(OSTrackModel model, StateDict pretrained)
    {
        using var mapped = new StateDict(pretrained.Source);
        int stride = model.Config.Stride;
        foreach (var (key, tensor) in pretrained)
        {
            var t = key == "patch_embed.proj.weight" && tensor.dim() == 4 && tensor.shape[^1] != stride
                ? PositionEmbedding.ResizePatchKernel(tensor, stride)
                : tensor.alias();
            mapped.Add("backbone." + key, t);
        }
        var report = mapped.LoadInto(model, strict: false);

        const string table = "backbone.pos_embed";
        string[] derived = ["backbone.pos_embed_z", "backbone.pos_embed_x"];
        if (!report.Matched.Contains(table))
            return report;
        model.Backbone.DerivePositionGridsFromPretrainedTable();
        var missing = report.Missing.Where(k => !derived.Contains(k)).ToList();
        var matched = report.Matched.Concat(derived.Where(d => report.Missing.Contains(d))).ToList();
        return new LoadReport(report.Source, missing, report.Unexpected, report.ShapeMismatched, matched);
    }
}
