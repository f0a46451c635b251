using TorchSharp.Modules;
using TrackSharp.Nn;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamFCpp.Backbones;

/// <summary>
/// videoanalyst's GoogLeNet backbone (<c>model/backbone/backbone_impl/googlenet.py</c>, class <c>Inception3</c>,
/// config name <c>Inception3</c>): torchvision's Inception v3 cut after Mixed_6e, with the max pool after
/// Conv2d_4a_3x3 removed ("pruned": total stride 8, not 16), then <c>crop_pad</c> pixels cropped from every edge
/// and a 1x1 <c>channel_reduce</c> conv (with bias) + BN (eps 1e-3), no ReLU, to 256 channels.
/// Input: BGR 0..255; the reference swaps it to RGB and maps it to [-1, 1] (<c>(v - 127.5) / 127.5</c>) first.
/// Parameter names as the reference's (<c>Conv2d_1a_3x3.conv.weight</c>, <c>Mixed_6e.branch7x7dbl_5.bn.bias</c>,
/// <c>channel_reduce.0.weight</c>, ...), so videoanalyst checkpoints load under <c>basemodel.</c>.
/// Sizes with crop_pad 4: 127 -> 5x5, 289 -> 25x25, 303 -> 27x27.
/// </summary>
public sealed class SiamFCppInception3 : Module<Tensor, Tensor>, ISiamFCppBackbone
{
    /// <summary>The stem's 3x3/2 max pool (stateless, shared; floor mode).</summary>
    private static readonly StridedMaxPool2d StemPool = new(3, 2);

    /// <summary>Channels of <c>channel_reduce</c> (fixed in the reference).</summary>
    public const int Channels = 256;

#pragma warning disable IDE1006
    private readonly InceptionConv Conv2d_1a_3x3;
    private readonly InceptionConv Conv2d_2a_3x3;
    private readonly InceptionConv Conv2d_2b_3x3;
    private readonly InceptionConv Conv2d_3b_1x1;
    private readonly InceptionConv Conv2d_4a_3x3;
    private readonly InceptionA Mixed_5b;
    private readonly InceptionA Mixed_5c;
    private readonly InceptionA Mixed_5d;
    private readonly InceptionB Mixed_6a;
    private readonly InceptionC Mixed_6b;
    private readonly InceptionC Mixed_6c;
    private readonly InceptionC Mixed_6d;
    private readonly InceptionC Mixed_6e;
    private readonly Sequential channel_reduce;
#pragma warning restore IDE1006

    /// <summary>Pixels cropped from each edge of the Mixed_6e map (<c>crop_pad</c>).</summary>
    public int CropPad { get; }

    public int OutputChannels => Channels;

    /// <param name="cropPad">The config's <c>crop_pad</c> (published 4); at least 1 (the reference's slice
    /// <c>x[:, :, p:-p]</c> is empty for 0).</param>
    public SiamFCppInception3(int cropPad = 4) : base(nameof(SiamFCppInception3))
    {
        if (cropPad < 1) throw new ArgumentOutOfRangeException(nameof(cropPad), cropPad, "Inception3 crop_pad must be >= 1");
        CropPad = cropPad;
        Conv2d_1a_3x3 = new InceptionConv(3, 32, 3, stride: 2);
        Conv2d_2a_3x3 = new InceptionConv(32, 32, 3);
        Conv2d_2b_3x3 = new InceptionConv(32, 64, 3, padding: 1);
        Conv2d_3b_1x1 = new InceptionConv(64, 80, 1);
        Conv2d_4a_3x3 = new InceptionConv(80, 192, 3);
        Mixed_5b = new InceptionA(192, 32);
        Mixed_5c = new InceptionA(256, 64);
        Mixed_5d = new InceptionA(288, 64);
        Mixed_6a = new InceptionB(288);
        Mixed_6b = new InceptionC(768, 128);
        Mixed_6c = new InceptionC(768, 160);
        Mixed_6d = new InceptionC(768, 160);
        Mixed_6e = new InceptionC(768, 192);
        channel_reduce = Sequential(Conv2d(768, Channels, 1), BatchNorm2d(Channels, eps: InceptionConv.BnEps));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // BGR -> RGB and [0, 255] -> [-1, 1], with the reference's operation order.
        const double bias = 255.0 / 2;
        var rgb = cat(new[] { 2L, 1L, 0L }.Select(c => (x.select(1, c).unsqueeze(1) - bias) / bias).ToArray(), 1);
        var y = Conv2d_2b_3x3.forward(Conv2d_2a_3x3.forward(Conv2d_1a_3x3.forward(rgb)));
        y = StemPool.forward(y);
        y = Conv2d_4a_3x3.forward(Conv2d_3b_1x1.forward(y));
        // (the second max pool of Inception v3 is pruned here)
        y = Mixed_5d.forward(Mixed_5c.forward(Mixed_5b.forward(y)));
        y = Mixed_6a.forward(y);
        y = Mixed_6e.forward(Mixed_6d.forward(Mixed_6c.forward(Mixed_6b.forward(y))));
        y = SiamFCppBackbones.CropEdges(y, CropPad);
        return channel_reduce.forward(y).MoveToOuterDisposeScope();
    }
}
