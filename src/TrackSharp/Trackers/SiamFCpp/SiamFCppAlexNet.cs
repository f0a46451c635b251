using TorchSharp.Modules;
using TrackSharp.Nn;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>
/// videoanalyst's <c>AlexNet</c> backbone (<c>basemodel</c>): conv1 11x11/2 + BN + ReLU, maxpool 3/2 (ceil mode),
/// conv2 5x5 + BN + ReLU, maxpool 3/2 (ceil mode), conv3 3x3, conv4 3x3 (BN + ReLU), conv5 3x3 + BN
/// (no ReLU); no padding anywhere. The pools are <see cref="StridedMaxPool2d"/> (same output, faster on CPU). Widths default to the published (96, 256, 384, 384, 256); the golden "small"
/// model uses (24, 64, 96, 96, 64). 127 -> 6x6, 303 -> 28x28.
/// </summary>
public sealed class SiamFCppAlexNet : Module<Tensor, Tensor>, ISiamFCppBackbone
{
    public static readonly IReadOnlyList<int> PublishedWidths = new[] { 96, 256, 384, 384, 256 };

#pragma warning disable IDE1006
    private readonly ConvBnRelu conv1;
    private readonly StridedMaxPool2d pool1;
    private readonly ConvBnRelu conv2;
    private readonly StridedMaxPool2d pool2;
    private readonly ConvBnRelu conv3;
    private readonly ConvBnRelu conv4;
    private readonly ConvBnRelu conv5;
#pragma warning restore IDE1006

    /// <summary>Output channels of conv5.</summary>
    public int OutputChannels { get; }

    /// <param name="widths">Output channels of conv1..conv5 (five values); null = the published widths.</param>
    public SiamFCppAlexNet(IReadOnlyList<int>? widths = null) : base(nameof(SiamFCppAlexNet))
    {
        widths ??= PublishedWidths;
        if (widths.Count != 5 || widths.Any(w => w <= 0))
            throw new ArgumentException($"AlexNet needs five positive widths, got [{string.Join(", ", widths)}]", nameof(widths));
        conv1 = new ConvBnRelu(3, widths[0], stride: 2, kernel: 11);
        pool1 = new StridedMaxPool2d(3, 2, ceilMode: true);
        conv2 = new ConvBnRelu(widths[0], widths[1], kernel: 5);
        pool2 = new StridedMaxPool2d(3, 2, ceilMode: true);
        conv3 = new ConvBnRelu(widths[1], widths[2]);
        conv4 = new ConvBnRelu(widths[2], widths[3]);
        conv5 = new ConvBnRelu(widths[3], widths[4], hasRelu: false);
        OutputChannels = widths[4];
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = conv5.forward(conv4.forward(conv3.forward(pool2.forward(conv2.forward(pool1.forward(conv1.forward(x)))))));
        return y.MoveToOuterDisposeScope();
    }
}
