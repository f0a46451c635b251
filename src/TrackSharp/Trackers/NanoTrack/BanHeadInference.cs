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

    /// <summary>(cls, exp-ed loc) maps from the towers' [H*W, 2] and [H*W, 4] rows (taken over and disposed).</summary>
    protected static (Tensor Cls, Tensor Loc) Outputs(Tensor[] rows, long height, long width)
    {
        using var clsRows = rows[0];
        using var locRows = rows[1];
        return (ChannelsLast.Map(clsRows, height, width), ChannelsLast.Map(locRows, height, width).exp_());
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

/// <summary>v2: the cls and box pixel-wise correlations as one, then both towers side by side.</summary>
internal sealed class BanHeadV2Inference(PixelwiseCorrelationInference correlation, ParallelTowers towers)
    : BanHeadInference
{
    public override void SetTemplate(Tensor templateFeatures) => correlation.SetTemplate(templateFeatures);

    public override (Tensor Cls, Tensor Loc) Forward(Tensor searchFeatures)
    {
        using var corr = correlation.Forward(searchFeatures);
        return Outputs(towers.Forward(corr), corr.shape[2], corr.shape[3]);
    }

    public override void Dispose()
    {
        correlation.Dispose();
        towers.Dispose();
    }
}

/// <summary>
/// v3: per branch a pixel-wise and a depth-wise correlation (each kind run for both branches at once),
/// <c>down_*</c> on their concatenation (pixel-wise first) computed from the two parts without building it,
/// then both towers side by side.
/// </summary>
internal sealed class BanHeadV3Inference(
    PixelwiseCorrelationInference pixelwise, DepthwiseCorrelationInference depthwise,
    RowProjection downCls, RowProjection downBbox, ParallelTowers towers) : BanHeadInference
{
    private const int PixelwiseChannels = 64;

    public override void SetTemplate(Tensor templateFeatures)
    {
        pixelwise.SetTemplate(templateFeatures);
        // The depth-wise branch sees only the centre 4x4 of the 8x8 template map.
        using var centre = templateFeatures.narrow(2, 2, 4).narrow(3, 2, 4);
        depthwise.SetTemplate(centre);
    }

    public override (Tensor Cls, Tensor Loc) Forward(Tensor searchFeatures)
    {
        using var pw = pixelwise.Forward(searchFeatures);
        using var dw = depthwise.Forward(searchFeatures);
        long h = pw.shape[2], w = pw.shape[3], dwChannels = dw.shape[1] / 2;
        using var pwRows = ChannelsLast.Rows(pw);
        using var dwRows = ChannelsLast.Rows(dw);
        using var pwCls = pwRows.narrow(1, 0, PixelwiseChannels);
        using var pwBbox = pwRows.narrow(1, PixelwiseChannels, PixelwiseChannels);
        using var dwCls = dwRows.narrow(1, 0, dwChannels);
        using var dwBbox = dwRows.narrow(1, dwChannels, dwChannels);
        using var cls = downCls.Forward(pwCls, dwCls);
        using var bbox = downBbox.Forward(pwBbox, dwBbox);
        using var joined = cat(new[] { cls, bbox }, 1);
        using var map = ChannelsLast.Map(joined, h, w);
        return Outputs(towers.Forward(map), h, w);
    }

    public override void Dispose()
    {
        pixelwise.Dispose();
        depthwise.Dispose();
        downCls.Dispose();
        downBbox.Dispose();
        towers.Dispose();
    }
}
