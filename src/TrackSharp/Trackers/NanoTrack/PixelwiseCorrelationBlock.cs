using TorchSharp.Modules;
using TrackSharp.Nn.Inference;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// The reference's <c>PixelwiseXCorr</c> in its three forms:
/// v1 — correlation of the raw backbone features, then channel attention;
/// v2 — 1x1 conv + BN on template and search first (<c>conv_kernel</c>, <c>conv_search</c>);
/// v3 — as v2, then <c>conv</c> = [dw 2x2 conv, BN, ReLU6, 1x1 conv, BN] shrinking 16x16 to 15x15.
/// The attention always sees 64 channels: one per position of the 8x8 template map.
/// </summary>
public sealed class PixelwiseCorrelationBlock : Module<Tensor, Tensor, Tensor>
{
    private const int TemplatePositions = 64;

#pragma warning disable IDE1006
    private readonly ChannelAttention CA_layer;
    private readonly Sequential? conv_kernel;
    private readonly Sequential? conv_search;
    private readonly Sequential? conv;
#pragma warning restore IDE1006

    public PixelwiseCorrelationBlock(int featureChannels, bool adjustInputs, bool refineOutput)
        : base(nameof(PixelwiseCorrelationBlock))
    {
        CA_layer = new ChannelAttention(TemplatePositions);
        if (adjustInputs)
        {
            conv_kernel = Sequential(Conv2d(featureChannels, featureChannels, 1), BatchNorm2d(featureChannels));
            conv_search = Sequential(Conv2d(featureChannels, featureChannels, 1), BatchNorm2d(featureChannels));
        }
        if (refineOutput)
        {
            conv = Sequential(
                Conv2d(TemplatePositions, TemplatePositions, 2, groups: TemplatePositions, bias: false),
                BatchNorm2d(TemplatePositions), ReLU6(),
                Conv2d(TemplatePositions, TemplatePositions, 1), BatchNorm2d(TemplatePositions));
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor kernel, Tensor search)
    {
        using var scope = NewDisposeScope();
        var k = conv_kernel is null ? kernel : conv_kernel.forward(kernel);
        var s = conv_search is null ? search : conv_search.forward(search);
        var attended = CA_layer.forward(Correlation.Pixelwise(s, k));
        var result = conv is null ? attended : conv.forward(attended);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>This block's parts for <see cref="PixelwiseCorrelationInference"/> (BN folded; a snapshot of the weights).</summary>
    internal PixelwiseCorrelationBranch PrepareForInference()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        FusedConv2d? kernelAdjust = null;
        Tensor? searchWeight = null, searchBias = null;
        if (conv_kernel is not null && conv_search is not null)
        {
            kernelAdjust = FusedConv2d.FoldAll(conv_kernel.children()).Single();
            var search = conv_search.children().ToList();
            var (weight, bias) = FusedConv2d.FoldedParameters((Conv2d)search[0], (BatchNorm2d)search[1]);
            searchWeight = weight.view(weight.shape[0], weight.shape[1]).DetachFromDisposeScope();
            searchBias = bias!.DetachFromDisposeScope();
        }
        (FusedConv2d, FusedConv2d)? refine = null;
        if (conv is not null)
        {
            var layers = FusedConv2d.FoldAll(conv.children());
            refine = (layers[0], layers[1]);
        }
        return new PixelwiseCorrelationBranch(kernelAdjust, searchWeight, searchBias, CA_layer.PrepareForInference(), refine);
    }
}
