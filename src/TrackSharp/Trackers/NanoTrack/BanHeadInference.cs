using TrackSharp.Nn.Inference;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// The inference plan of a <see cref="BanHead"/> (see <see cref="BanHead.PrepareForInference"/>): template-only
/// work runs once in <see cref="SetTemplate"/>, each frame runs <see cref="Forward"/>. Batch 1.
/// </summary>
internal abstract class BanHeadInference : IDisposable
{
    /// <summary>Prepares everything that depends only on the template features (1xCx8x8, any layout).</summary>
    public abstract void SetTemplate(Tensor templateFeatures);

    /// <summary>(logits [1,2,S,S], exp-ed distances [1,4,S,S]) for search features 1xCx16x16; new tensors, channels-last.</summary>
    public abstract (Tensor Cls, Tensor Loc) Forward(Tensor searchFeatures);

    public abstract void Dispose();

    /// <summary>A tower and its output projection on <paramref name="x"/> (not disposed).</summary>
    protected static Tensor Branch(IReadOnlyList<FusedConv2d> tower, FusedConv2d projection, Tensor x)
    {
        using var features = FusedConv2d.ForwardAll(tower, x);
        return projection.Forward(features);
    }

    protected static void DisposeAll(IEnumerable<FusedConv2d> layers)
    {
        foreach (var layer in layers) layer.Dispose();
    }
}

/// <summary>v1: one shared pixel-wise correlation feeding both towers.</summary>
internal sealed class BanHeadV1Inference(
    PixelwiseCorrelationInference correlation,
    IReadOnlyList<FusedConv2d> clsTower, FusedConv2d clsLogits,
    IReadOnlyList<FusedConv2d> bboxTower, FusedConv2d bboxPred) : BanHeadInference
{
    public override void SetTemplate(Tensor templateFeatures) => correlation.SetTemplate(templateFeatures);

    public override (Tensor Cls, Tensor Loc) Forward(Tensor searchFeatures)
    {
        using var corr = correlation.Forward(searchFeatures);
        var cls = Branch(clsTower, clsLogits, corr);
        var loc = Branch(bboxTower, bboxPred, corr).exp_();
        return (cls, loc);
    }

    public override void Dispose()
    {
        correlation.Dispose();
        DisposeAll(clsTower.Append(clsLogits).Concat(bboxTower).Append(bboxPred));
    }
}

/// <summary>v2: a pixel-wise correlation per branch, then the branch's tower.</summary>
internal sealed class BanHeadV2Inference(
    PixelwiseCorrelationInference clsCorrelation, IReadOnlyList<FusedConv2d> clsTower, FusedConv2d clsPred,
    PixelwiseCorrelationInference bboxCorrelation, IReadOnlyList<FusedConv2d> bboxTower, FusedConv2d bboxPred)
    : BanHeadInference
{
    public override void SetTemplate(Tensor templateFeatures)
    {
        clsCorrelation.SetTemplate(templateFeatures);
        bboxCorrelation.SetTemplate(templateFeatures);
    }

    public override (Tensor Cls, Tensor Loc) Forward(Tensor searchFeatures)
    {
        Tensor cls, loc;
        using (var corr = clsCorrelation.Forward(searchFeatures)) cls = Branch(clsTower, clsPred, corr);
        using (var corr = bboxCorrelation.Forward(searchFeatures)) loc = Branch(bboxTower, bboxPred, corr).exp_();
        return (cls, loc);
    }

    public override void Dispose()
    {
        clsCorrelation.Dispose();
        bboxCorrelation.Dispose();
        DisposeAll(clsTower.Append(clsPred).Concat(bboxTower).Append(bboxPred));
    }
}

/// <summary>v3: per branch pixel-wise and depth-wise correlations, concatenated (pixel-wise first), reduced, tower.</summary>
internal sealed class BanHeadV3Inference(
    PixelwiseCorrelationInference clsPixelwise, DepthwiseCorrelationInference clsDepthwise, FusedConv2d downCls,
    IReadOnlyList<FusedConv2d> clsTower, FusedConv2d clsLogits,
    PixelwiseCorrelationInference bboxPixelwise, DepthwiseCorrelationInference bboxDepthwise, FusedConv2d downBbox,
    IReadOnlyList<FusedConv2d> bboxTower, FusedConv2d bboxPred) : BanHeadInference
{
    public override void SetTemplate(Tensor templateFeatures)
    {
        clsPixelwise.SetTemplate(templateFeatures);
        bboxPixelwise.SetTemplate(templateFeatures);
        // The depth-wise branch sees only the centre 4x4 of the 8x8 template map.
        using var centre = templateFeatures.narrow(2, 2, 4).narrow(3, 2, 4);
        clsDepthwise.SetTemplate(centre);
        bboxDepthwise.SetTemplate(centre);
    }

    public override (Tensor Cls, Tensor Loc) Forward(Tensor searchFeatures)
    {
        Tensor cls, loc;
        using (var fused = Fuse(clsPixelwise, clsDepthwise, downCls, searchFeatures))
            cls = Branch(clsTower, clsLogits, fused);
        using (var fused = Fuse(bboxPixelwise, bboxDepthwise, downBbox, searchFeatures))
            loc = Branch(bboxTower, bboxPred, fused).exp_();
        return (cls, loc);
    }

    private static Tensor Fuse(PixelwiseCorrelationInference pixelwise, DepthwiseCorrelationInference depthwise,
        FusedConv2d down, Tensor search)
    {
        using var pw = pixelwise.Forward(search);
        using var dw = depthwise.Forward(search);
        using var both = cat(new[] { pw, dw }, 1);
        return down.Forward(both);
    }

    public override void Dispose()
    {
        clsPixelwise.Dispose();
        clsDepthwise.Dispose();
        bboxPixelwise.Dispose();
        bboxDepthwise.Dispose();
        DisposeAll(clsTower.Append(clsLogits).Append(downCls).Concat(bboxTower).Append(bboxPred).Append(downBbox));
    }
}
