using TrackSharp.Checkpoints;
using TrackSharp.Nn.Backbones;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamBAN;

/// <summary>
/// The SiamBAN network (reference <c>siamban/models/model_builder.py ModelBuilder</c>): atrous ResNet-50
/// <c>backbone</c>, <c>AdjustAllLayer</c> <c>neck</c> and <c>MultiBAN</c> <c>head</c>, with the reference's
/// parameter names. Inputs are BGR crops, values 0..255, not normalised (template 127, search 255).
/// <see cref="forward"/> returns cls logits (B,cls_out,25,25) and loc distances l,t,r,b already exp'ed
/// (B,4,25,25), as the reference's <c>track()</c> does.
/// </summary>
public sealed class SiamBanModel : Module<Tensor, Tensor, (Tensor Cls, Tensor Loc)>
{
#pragma warning disable IDE1006
    private readonly ResNetAtrous backbone;
    private readonly AdjustAllLayer? neck;
    private readonly MultiBan head;
#pragma warning restore IDE1006

    public SiamBanModelOptions Options { get; }

    public SiamBanModel(SiamBanModelOptions options) : base(nameof(SiamBanModel))
    {
        Options = options;
        if (options.BackboneType is not ("resnet50" or "res50" or "resnet50_narrow"))
            throw new ArgumentException($"BACKBONE.TYPE '{options.BackboneType}' is not supported (resnet50, resnet50_narrow)");
        if (options.BackboneType != "resnet50_narrow" && options.BackboneWidth != 64)
            throw new ArgumentException($"BACKBONE.TYPE '{options.BackboneType}' has width 64; width {options.BackboneWidth} needs resnet50_narrow");
        backbone = new ResNetAtrous(options.UsedLayers, options.BackboneWidth);
        var levelChannels = backbone.OutputChannels;
        if (options.AdjustInChannels is { } adjustIn)
        {
            if (!adjustIn.SequenceEqual(levelChannels))
                throw new ArgumentException(
                    $"ADJUST.KWARGS.in_channels [{string.Join(", ", adjustIn)}] do not match the backbone outputs [{string.Join(", ", levelChannels)}]");
            neck = new AdjustAllLayer(adjustIn, options.AdjustOutChannels
                ?? throw new ArgumentException("ADJUST.KWARGS.out_channels is missing"));
            levelChannels = options.AdjustOutChannels;
        }
        if (!options.BanInChannels.SequenceEqual(levelChannels))
            throw new ArgumentException(
                $"BAN.KWARGS.in_channels [{string.Join(", ", options.BanInChannels)}] do not match the features [{string.Join(", ", levelChannels)}]");
        head = new MultiBan(options.BanInChannels, options.ClsOutChannels, options.Weighted);
        RegisterComponents();
    }

    /// <summary>The backbone (its used outputs per level).</summary>
    public ResNetAtrous Backbone => backbone;
    /// <summary>The neck, or null when ADJUST is off.</summary>
    public AdjustAllLayer? Neck => neck;
    /// <summary>The MultiBAN head.</summary>
    public MultiBan Head => head;

    /// <summary>Backbone then neck: one feature map per level (caller owns them). Templates (15x15) come out 7x7.</summary>
    public Tensor[] Features(Tensor crop)
    {
        var features = backbone.forward(crop);
        if (neck is null) return features;
        try
        {
            return neck.forward(features);
        }
        finally
        {
            foreach (var f in features) f.Dispose();
        }
    }

    /// <summary>Fused head outputs for template and search features (from <see cref="Features"/>).</summary>
    public (Tensor Cls, Tensor Loc) Track(Tensor[] templateFeatures, Tensor[] searchFeatures) =>
        head.forward(templateFeatures, searchFeatures);

    public override (Tensor Cls, Tensor Loc) forward(Tensor template, Tensor search)
    {
        var z = Features(template);
        var x = Features(search);
        try
        {
            return Track(z, x);
        }
        finally
        {
            foreach (var t in z.Concat(x)) t.Dispose();
        }
    }
}

/// <summary>Builds SiamBAN networks and loads reference checkpoints.</summary>
public static class SiamBanFactory
{
    /// <summary>
    /// A model built from <paramref name="options"/> with the weights of <paramref name="weightsPath"/>: a bare
    /// state dict or one under <c>state_dict</c> (trainer checkpoints), with or without the DataParallel
    /// <c>module.</c> prefix. The key set must match exactly (missing, unexpected or mis-shaped keys throw
    /// <see cref="CheckpointMismatchException"/> naming file and keys). Returned in eval mode.
    /// </summary>
    public static SiamBanModel LoadModel(string weightsPath, SiamBanModelOptions options)
    {
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException($"weights file '{weightsPath}' does not exist", weightsPath);
        using var stateDict = StateDict.Load(weightsPath);
        var model = new SiamBanModel(options);
        try
        {
            stateDict.LoadInto(model, strict: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }
}
