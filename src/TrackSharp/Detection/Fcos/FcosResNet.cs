using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Detection.Fcos;

/// <summary>
/// maskrcnn-benchmark's <c>StemWithFixedBatchNorm</c>: conv 7x7/2 (padding 3, no bias), FrozenBN, ReLU,
/// max-pool 3x3/2 padding 1.
/// </summary>
public sealed class FcosStem : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // reference parameter names
    private readonly Conv2d conv1;
    private readonly FrozenBatchNorm2d bn1;
#pragma warning restore IDE1006

    public FcosStem(int outChannels) : base(nameof(FcosStem))
    {
        conv1 = Conv2d(3, outChannels, 7, stride: 2, padding: 3, bias: false);
        bn1 = new FrozenBatchNorm2d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = bn1.ConvFolded(conv1, x).relu_();
        return functional.max_pool2d(y, 3, 2, 1).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// maskrcnn-benchmark's <c>BottleneckWithFixedBatchNorm</c>: 1x1, 3x3 (grouped, dilated), 1x1 convs without bias,
/// each followed by FrozenBN; with <c>STRIDE_IN_1X1</c> the stride sits on the first 1x1 conv. A
/// <c>downsample</c> (1x1 conv + FrozenBN) exists when the channel count changes.
/// </summary>
public sealed class FcosBottleneck : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    // Declaration order = registration order = the reference's named_parameters order (downsample first).
    private readonly Sequential? downsample;
    private readonly Conv2d conv1;
    private readonly FrozenBatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly FrozenBatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly FrozenBatchNorm2d bn3;
#pragma warning restore IDE1006

    public FcosBottleneck(int inChannels, int bottleneckChannels, int outChannels, int numGroups, bool strideIn1x1,
        int stride, int dilation) : base(nameof(FcosBottleneck))
    {
        if (inChannels != outChannels)
        {
            int downStride = dilation == 1 ? stride : 1;
            downsample = Sequential(
                Conv2d(inChannels, outChannels, 1, stride: downStride, bias: false),
                new FrozenBatchNorm2d(outChannels));
        }
        if (dilation > 1) stride = 1;
        var (s1, s3) = strideIn1x1 ? (stride, 1) : (1, stride);
        conv1 = Conv2d(inChannels, bottleneckChannels, 1, stride: s1, bias: false);
        bn1 = new FrozenBatchNorm2d(bottleneckChannels);
        conv2 = Conv2d(bottleneckChannels, bottleneckChannels, 3, stride: s3, padding: dilation, dilation: dilation,
            groups: numGroups, bias: false);
        bn2 = new FrozenBatchNorm2d(bottleneckChannels);
        conv3 = Conv2d(bottleneckChannels, outChannels, 1, bias: false);
        bn3 = new FrozenBatchNorm2d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = bn1.ConvFolded(conv1, x).relu_();
        y = bn2.ConvFolded(conv2, y).relu_();
        y = bn3.ConvFolded(conv3, y);
        var identity = downsample is null ? x : ((FrozenBatchNorm2d)downsample[1]).ConvFolded((Conv2d)downsample[0], x);
        return y.add_(identity).relu_().MoveToOuterDisposeScope();
    }
}

/// <summary>
/// The maskrcnn-benchmark ResNet body (<c>backbone.body</c>) of the <c>R-50/101-FPN-RETINANET</c> bodies: stem and
/// layer1..layer4, returning C2..C5 (strides 4, 8, 16, 32). Stage i's bottleneck width is
/// <c>NUM_GROUPS * WIDTH_PER_GROUP * 2^(i-1)</c> and its output width <c>RES2_OUT_CHANNELS * 2^(i-1)</c>; the
/// first block of layer2..4 has stride 2. <see cref="Freeze"/> applies <c>FREEZE_CONV_BODY_AT</c>.
/// </summary>
public sealed class FcosResNet : Module<Tensor, Tensor[]>
{
#pragma warning disable IDE1006
    private readonly FcosStem stem;
    private readonly Sequential layer1, layer2, layer3, layer4;
#pragma warning restore IDE1006

    /// <summary>Output channels of C2..C5.</summary>
    public IReadOnlyList<int> OutChannels { get; }

    public FcosResNet(FcosModelOptions o) : base(nameof(FcosResNet))
    {
        stem = new FcosStem(o.StemOutChannels);
        int inCh = o.StemOutChannels;
        int bott2 = o.NumGroups * o.WidthPerGroup;
        var layers = new Sequential[4];
        var outs = new int[4];
        for (int i = 0; i < 4; i++)
        {
            int factor = 1 << i;
            int bott = bott2 * factor, outCh = o.Res2OutChannels * factor;
            int stride = i == 0 ? 1 : 2;
            int dilation = i == 3 ? o.Res5Dilation : 1;
            var blocks = new List<Module<Tensor, Tensor>>();
            for (int b = 0; b < o.BlockCounts[i]; b++)
            {
                blocks.Add(new FcosBottleneck(inCh, bott, outCh, o.NumGroups, o.StrideIn1x1, b == 0 ? stride : 1, dilation));
                inCh = outCh;
            }
            layers[i] = Sequential(blocks.ToArray());
            outs[i] = outCh;
        }
        (layer1, layer2, layer3, layer4) = (layers[0], layers[1], layers[2], layers[3]);
        OutChannels = outs;
        RegisterComponents();
    }

    /// <summary><c>_freeze_backbone</c>: no gradient for the stem (stage 0) and layer1..layer(n-1).</summary>
    public void Freeze(int freezeAt)
    {
        var stages = new Module[] { stem, layer1, layer2, layer3, layer4 };
        for (int i = 0; i < Math.Min(freezeAt, stages.Length); i++)
            foreach (var p in stages[i].parameters()) p.requires_grad = false;
    }

    public override Tensor[] forward(Tensor x)
    {
        var s = stem.forward(x);
        var c2 = layer1.forward(s);
        s.Dispose();
        var c3 = layer2.forward(c2);
        var c4 = layer3.forward(c3);
        var c5 = layer4.forward(c4);
        return new[] { c2, c3, c4, c5 };
    }
}
