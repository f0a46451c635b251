using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Nn.Backbones;

/// <summary>
/// The pysot / SiamBAN "atrous" ResNet-50 (<c>backbone/resnet_atrous.py</c>): stem conv 7x7 stride 2 with
/// <b>no padding</b>, max-pool 3/2/1, layer1 (stride 1), layer2 (stride 2, 3x3 stride-2 padding-0 conv2 and a
/// 3x3 down-sampling conv), layer3 (stride 1, dilation 2) and layer4 (stride 1, dilation 4). Spatial sizes:
/// 127 -> 61 -> 31 -> 31 -> 15 -> 15 -> 15 and 255 -> 125 -> 63 -> 63 -> 31 -> 31 -> 31.
/// <para>
/// <see cref="forward"/> returns the outputs named by <c>used_layers</c> in the reference's numbering
/// (0 = stem after ReLU, 1..4 = layer1..layer4), in that order. layer3 / layer4 exist (and have parameters)
/// only when 3 / 4 is used, as in the reference. <c>width</c> is the stem width and the base planes
/// (<c>width*(1,2,4,8)</c>, expansion 4); the reference is width 64, the golden small model uses 4.
/// Field names equal the reference's parameter names so its state dicts load unchanged.
/// </para>
/// </summary>
public sealed class ResNetAtrous : Module<Tensor, Tensor[]>
{
    /// <summary>Block counts of ResNet-50.</summary>
    public static readonly IReadOnlyList<int> ResNet50Blocks = new[] { 3, 4, 6, 3 };

#pragma warning disable IDE1006
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential? layer3;
    private readonly Sequential? layer4;
#pragma warning restore IDE1006

    private readonly int[] _usedLayers;
    private int _inplanes;

    /// <summary>Reference indices of the returned outputs (0 = stem, 1..4 = layer1..4).</summary>
    public IReadOnlyList<int> UsedLayers => _usedLayers;

    /// <summary>Channels of each returned output, in <see cref="UsedLayers"/> order.</summary>
    public IReadOnlyList<int> OutputChannels { get; }

    public ResNetAtrous(IReadOnlyList<int> usedLayers, int width = 64, IReadOnlyList<int>? blocks = null)
        : base(nameof(ResNetAtrous))
    {
        blocks ??= ResNet50Blocks;
        if (blocks.Count != 4) throw new ArgumentException($"ResNetAtrous needs 4 block counts, got {blocks.Count}");
        if (width <= 0) throw new ArgumentException($"ResNetAtrous width must be positive, got {width}");
        if (usedLayers.Count == 0 || usedLayers.Any(l => l is < 0 or > 4))
            throw new ArgumentException($"ResNetAtrous used_layers must be in 0..4, got [{string.Join(", ", usedLayers)}]");
        _usedLayers = usedLayers.ToArray();
        _inplanes = width;

        conv1 = Conv2d(3, width, 7, stride: 2, padding: 0L, bias: false);
        bn1 = BatchNorm2d(width);
        relu = ReLU();
        maxpool = MaxPool2d(3, stride: 2, padding: 1);
        layer1 = MakeLayer(width, blocks[0], stride: 1, dilation: 1);
        layer2 = MakeLayer(width * 2, blocks[1], stride: 2, dilation: 1);
        if (_usedLayers.Contains(3)) layer3 = MakeLayer(width * 4, blocks[2], stride: 1, dilation: 2);
        if (_usedLayers.Contains(4)) layer4 = MakeLayer(width * 8, blocks[3], stride: 1, dilation: 4);
        RegisterComponents();

        // Without layer3 the reference passes layer2's output through, so "layer 4" then has layer2's width.
        int c2 = width * 2 * AtrousBottleneck.Expansion;
        int c3 = layer3 is null ? c2 : width * 4 * AtrousBottleneck.Expansion;
        int c4 = layer4 is null ? c3 : width * 8 * AtrousBottleneck.Expansion;
        var channels = new[] { width, width * AtrousBottleneck.Expansion, c2, c3, c4 };
        OutputChannels = _usedLayers.Select(l => channels[l]).ToArray();
    }

    private Sequential MakeLayer(int planes, int count, int stride, int dilation)
    {
        Sequential? downsample = null;
        int outPlanes = planes * AtrousBottleneck.Expansion;
        if (stride != 1 || _inplanes != outPlanes)
        {
            if (stride == 1 && dilation == 1)
            {
                downsample = Sequential(Conv2d(_inplanes, outPlanes, 1, stride: stride, bias: false), BatchNorm2d(outPlanes));
            }
            else
            {
                // 3x3 down-sampling conv: dilation/2 with matching padding for atrous layers, else padding 0.
                int dd = dilation > 1 ? dilation / 2 : 1;
                int padding = dilation > 1 ? dd : 0;
                downsample = Sequential(
                    Conv2d(_inplanes, outPlanes, 3, stride: stride, padding: padding, dilation: dd, bias: false),
                    BatchNorm2d(outPlanes));
            }
        }
        var blocks = new List<Module<Tensor, Tensor>>
        {
            new AtrousBottleneck(_inplanes, planes, stride, downsample, dilation),
        };
        _inplanes = outPlanes;
        for (int i = 1; i < count; i++) blocks.Add(new AtrousBottleneck(_inplanes, planes, 1, null, dilation));
        return Sequential(blocks.ToArray());
    }

    /// <summary>The used outputs (caller owns them), in <see cref="UsedLayers"/> order.</summary>
    public override Tensor[] forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var outputs = new Tensor[5];
        var x = relu.forward(bn1.forward(conv1.forward(input)));
        outputs[0] = x;
        outputs[1] = layer1.forward(maxpool.forward(x));
        outputs[2] = layer2.forward(outputs[1]);
        outputs[3] = layer3 is null ? outputs[2] : layer3.forward(outputs[2]);
        outputs[4] = layer4 is null ? outputs[3] : layer4.forward(outputs[3]);
        // The same tensor may be returned twice (missing layers pass through): give each its own handle.
        return _usedLayers.Select(l => outputs[l].alias().MoveToOuterDisposeScope()).ToArray();
    }
}

/// <summary>
/// The pysot atrous Bottleneck (1x1, 3x3, 1x1, expansion 4). conv2 padding: <c>2 - stride</c>; a block with a
/// down-sampling branch and dilation &gt; 1 halves its dilation (padding = dilation); otherwise padding = dilation
/// when dilation &gt; 1.
/// </summary>
public sealed class AtrousBottleneck : Module<Tensor, Tensor>
{
    public const int Expansion = 4;

#pragma warning disable IDE1006
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly ReLU relu;
    private readonly Sequential? downsample;
#pragma warning restore IDE1006

    public AtrousBottleneck(int inplanes, int planes, int stride, Sequential? downsample, int dilation)
        : base(nameof(AtrousBottleneck))
    {
        int padding = 2 - stride;
        if (downsample is not null && dilation > 1)
        {
            dilation /= 2;
            padding = dilation;
        }
        if (stride != 1 && dilation != 1)
            throw new ArgumentException($"AtrousBottleneck: stride {stride} with dilation {dilation} is not supported");
        if (dilation > 1) padding = dilation;

        conv1 = Conv2d(inplanes, planes, 1, bias: false);
        bn1 = BatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, 3, stride: stride, padding: padding, dilation: dilation, bias: false);
        bn2 = BatchNorm2d(planes);
        conv3 = Conv2d(planes, planes * Expansion, 1, bias: false);
        bn3 = BatchNorm2d(planes * Expansion);
        relu = ReLU();
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var output = relu.forward(bn1.forward(conv1.forward(x)));
        output = relu.forward(bn2.forward(conv2.forward(output)));
        output = bn3.forward(conv3.forward(output));
        var residual = downsample is null ? x : downsample.forward(x);
        return relu.forward(output.add_(residual)).MoveToOuterDisposeScope();
    }
}
