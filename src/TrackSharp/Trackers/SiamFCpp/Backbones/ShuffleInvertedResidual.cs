using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamFCpp.Backbones;

/// <summary>
/// ShuffleNetV2's <c>InvertedResidual</c> unit as videoanalyst's <c>shufflenet_v2.py</c> defines it. Stride 1:
/// split the channels in half, keep the first half, run <c>branch2</c> (1x1, BN, ReLU, depthwise 3x3, BN, 1x1, BN,
/// ReLU) on the second. Stride 2: <c>branch1</c> (depthwise 3x3, BN, 1x1, BN, ReLU) and <c>branch2</c> both on the
/// whole input. Then the two halves are concatenated and channel-shuffled (2 groups). videoanalyst's
/// <c>false_stride</c> keeps the stride-2 structure (both branches) but convolves with stride 1, so stage3 and
/// stage4 do not downsample. Convs have no bias; BN eps 1e-5. Sequential indices are the reference's
/// (<c>branch2.3.weight</c> is the depthwise conv).
/// </summary>
public sealed class ShuffleInvertedResidual : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Sequential branch1;
    private readonly Sequential branch2;
#pragma warning restore IDE1006

    /// <summary>The structural stride (1 or 2; decides the split-or-both-branches path).</summary>
    public int Stride { get; }

    public ShuffleInvertedResidual(long input, long output, int stride, bool falseStride = false)
        : base(nameof(ShuffleInvertedResidual))
    {
        if (stride is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(stride), stride, "illegal stride value");
        Stride = stride;
        long features = output / 2;
        long realStride = falseStride ? 1 : stride;
        branch1 = stride > 1
            ? Sequential(
                Depthwise(input, realStride), BatchNorm2d(input),
                Conv2d(input, features, 1, bias: false), BatchNorm2d(features), ReLU(inplace: true))
            : Sequential();
        branch2 = Sequential(
            Conv2d(stride > 1 ? input : features, features, 1, bias: false), BatchNorm2d(features), ReLU(inplace: true),
            Depthwise(features, realStride), BatchNorm2d(features),
            Conv2d(features, features, 1, bias: false), BatchNorm2d(features), ReLU(inplace: true));
        RegisterComponents();

        static Conv2d Depthwise(long channels, long s) =>
            Conv2d(channels, channels, 3, stride: s, padding: 1, groups: channels, bias: false);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor output;
        if (Stride == 1)
        {
            var halves = x.chunk(2, 1);
            output = cat(new[] { halves[0], branch2.forward(halves[1]) }, 1);
        }
        else
        {
            output = cat(new[] { branch1.forward(x), branch2.forward(x) }, 1);
        }
        return ChannelShuffle(output, 2).MoveToOuterDisposeScope();
    }

    /// <summary>[B, g*c, H, W] -> view [B, g, c, H, W] -> transpose groups and channels -> [B, c*g, H, W].</summary>
    public static Tensor ChannelShuffle(Tensor x, int groups)
    {
        long b = x.shape[0], channels = x.shape[1], h = x.shape[2], w = x.shape[3];
        using var grouped = x.view(b, groups, channels / groups, h, w);
        using var swapped = grouped.transpose(1, 2);
        using var contiguous = swapped.contiguous();
        return contiguous.view(b, -1, h, w);
    }
}
