using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// pytracking's ltr ResNet (<c>ltr/models/backbone/resnet.py</c>): stem conv 7×7/2 (padding 3) + BN + ReLU +
/// max-pool 3/2/1, then layer1..layer4 with strides 1, 2, 2, 2 (the stride sits on the first 3×3 conv of a block,
/// 1×1 conv + BN shortcut when the shape changes). <see cref="ResNet50"/> is TrDiMP's backbone (Bottleneck
/// [3, 4, 6, 3], width 64: layer2 512 channels at stride 8, layer3 1024 at stride 16); <see cref="ResNetBaby"/>
/// is ltr's <c>resnet_baby</c> (BasicBlock [2, 2, 2, 2], configurable width) used by the small golden model.
/// All four layers and <c>fc</c> exist so that full checkpoints load strictly; <see cref="forward"/> runs only up
/// to layer3 and returns (layer2, layer3), the two outputs TrDiMP reads.
/// Field names equal the reference's parameter names.
/// </summary>
public sealed class LtrResNet : Module<Tensor, (Tensor Layer2, Tensor Layer3)>
{
#pragma warning disable IDE1006
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly Linear fc;
#pragma warning restore IDE1006

    private int _inplanes;

    /// <summary>Channels of layer2 and layer3.</summary>
    public (int Layer2, int Layer3) OutputChannels { get; }

    /// <summary>True for Bottleneck blocks (expansion 4), false for BasicBlocks (expansion 1).</summary>
    public bool Bottleneck { get; }

    /// <summary>Builds the network; <paramref name="inplanes"/> is the stem width and the base planes
    /// (<c>inplanes·(1, 2, 4, 8)</c>).</summary>
    public LtrResNet(IReadOnlyList<int> blocks, bool bottleneck, int inplanes = 64, int numClasses = 1000) : base(nameof(LtrResNet))
    {
        if (blocks.Count != 4) throw new ArgumentException($"LtrResNet needs 4 block counts, got {blocks.Count}");
        Bottleneck = bottleneck;
        int expansion = bottleneck ? LtrBottleneck.Expansion : 1;
        _inplanes = inplanes;
        conv1 = Conv2d(3, inplanes, 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(inplanes);
        relu = ReLU();
        maxpool = MaxPool2d(3, stride: 2, padding: 1);
        layer1 = MakeLayer(inplanes, blocks[0], 1);
        layer2 = MakeLayer(inplanes * 2, blocks[1], 2);
        layer3 = MakeLayer(inplanes * 4, blocks[2], 2);
        layer4 = MakeLayer(inplanes * 8, blocks[3], 2);
        fc = Linear(inplanes * 8 * expansion, numClasses);
        OutputChannels = (inplanes * 2 * expansion, inplanes * 4 * expansion);
        RegisterComponents();
    }

    /// <summary>TrDiMP's ResNet-50.</summary>
    public static LtrResNet ResNet50() => new([3, 4, 6, 3], bottleneck: true, inplanes: 64);

    /// <summary>ltr <c>resnet_baby(inplanes)</c>: ResNet-18 topology with a narrow stem.</summary>
    public static LtrResNet ResNetBaby(int inplanes = 16) => new([2, 2, 2, 2], bottleneck: false, inplanes: inplanes);

    private Sequential MakeLayer(int planes, int count, int stride)
    {
        int expansion = Bottleneck ? LtrBottleneck.Expansion : 1;
        Sequential? downsample = null;
        if (stride != 1 || _inplanes != planes * expansion)
            downsample = Sequential(
                Conv2d(_inplanes, planes * expansion, 1, stride: stride, bias: false),
                BatchNorm2d(planes * expansion));
        var layers = new List<Module<Tensor, Tensor>>
        {
            Bottleneck ? new LtrBottleneck(_inplanes, planes, stride, downsample) : new LtrBasicBlock(_inplanes, planes, stride, downsample),
        };
        _inplanes = planes * expansion;
        for (int i = 1; i < count; i++)
            layers.Add(Bottleneck ? new LtrBottleneck(_inplanes, planes, 1, null) : new LtrBasicBlock(_inplanes, planes, 1, null));
        return Sequential(layers);
    }

    /// <summary>Image batch (N, 3, H, W), ImageNet-normalised RGB → (layer2, layer3).</summary>
    public override (Tensor Layer2, Tensor Layer3) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = maxpool.call(relu.call(bn1.call(conv1.call(input))));
        var l2 = layer2.call(layer1.call(x));
        var l3 = layer3.call(l2);
        return (l2.MoveToOuterDisposeScope(), l3.MoveToOuterDisposeScope());
    }

    /// <summary>The layer modules by reference name, for freezing and optimizer groups.</summary>
    public Module Layer(string name) => name switch
    {
        "conv1" => conv1, "bn1" => bn1, "layer1" => layer1, "layer2" => layer2, "layer3" => layer3, "layer4" => layer4, "fc" => fc,
        _ => throw new ArgumentException($"LtrResNet has no layer '{name}'"),
    };
}
