using TorchSharp.Modules;
using TrackSharp.Nn.Inference;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// NanoTrack v3's <c>DepthwiseXCorr</c>: 1x1 conv + BN on the (centre-cropped 4x4) template and on the
/// search map, then the padded depth-wise correlation.
/// </summary>
public sealed class DepthwiseCorrelationBlock : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Sequential conv_kernel;
    private readonly Sequential conv_search;
#pragma warning restore IDE1006

    public DepthwiseCorrelationBlock(int channels) : base(nameof(DepthwiseCorrelationBlock))
    {
        conv_kernel = Sequential(Conv2d(channels, channels, 1), BatchNorm2d(channels));
        conv_search = Sequential(Conv2d(channels, channels, 1), BatchNorm2d(channels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor kernel, Tensor search)
    {
        using var k = conv_kernel.forward(kernel);
        using var s = conv_search.forward(search);
        return Correlation.DepthwisePadded(s, k);
    }

    /// <summary>The block's (template adjust, search adjust) with BN folded, for <see cref="DepthwiseCorrelationInference"/>.</summary>
    internal (FusedConv2d KernelAdjust, FusedConv2d SearchAdjust) PrepareForInference() =>
        (FusedConv2d.FoldAll(conv_kernel.children()).Single(), FusedConv2d.FoldAll(conv_search.children()).Single());
}
