using TorchSharp.Modules;
using TrackSharp.Nn.Inference;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Nn.Backbones;

/// <summary>
/// MobileNetV3-small truncated as NanoTrack uses it: the stem and the first eight inverted-residual blocks
/// (total stride 16, 48 output channels), optionally a ninth stride-1 block widening to 96 channels
/// (NanoTrack v3). No final 1x1 conv, no pooling, no classifier. Modules live in <c>features.&lt;i&gt;</c>.
/// </summary>
public sealed class MobileNetV3Small : Module<Tensor, Tensor>
{
    /// <summary>One block row of the reference table: kernel, expansion, output width, SE, hard-swish, stride.</summary>
    public readonly record struct BlockSpec(int Kernel, double Expansion, int Output, bool SqueezeExcite,
        bool HardSwish, int Stride);

    /// <summary>The eight blocks shared by every NanoTrack version.</summary>
    public static readonly IReadOnlyList<BlockSpec> SmallBlocks = new BlockSpec[]
    {
        new(3, 1, 16, true, false, 2), new(3, 4.5, 24, false, false, 2), new(3, 3.67, 24, false, false, 1),
        new(5, 4, 40, true, true, 2), new(5, 6, 40, true, true, 1), new(5, 6, 40, true, true, 1),
        new(5, 3, 48, true, true, 1), new(5, 3, 48, true, true, 1),
    };

    /// <summary>NanoTrack v3's extra block (stride 1, 96 channels).</summary>
    public static readonly BlockSpec V3ExtraBlock = new(5, 6, 96, true, true, 1);

#pragma warning disable IDE1006
    private readonly Sequential features;
#pragma warning restore IDE1006

    public int OutputChannels { get; }

    public MobileNetV3Small(IEnumerable<BlockSpec> blocks) : base(nameof(MobileNetV3Small))
    {
        int channels = MakeDivisible(16, 8);
        var layers = new List<Module<Tensor, Tensor>>
        {
            Sequential(Conv2d(3, channels, 3, 2, 1, bias: false), BatchNorm2d(channels), Hardswish()),
        };
        foreach (var b in blocks)
        {
            int output = MakeDivisible(b.Output, 8);
            int expanded = MakeDivisible(channels * b.Expansion, 8);
            layers.Add(new InvertedResidual(channels, expanded, output, b.Kernel, b.Stride, b.SqueezeExcite,
                b.HardSwish));
            channels = output;
        }
        OutputChannels = channels;
        features = Sequential(layers.ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => features.forward(x);

    /// <summary>
    /// An inference-only plan of this backbone in evaluation mode: BN folded into the convs, activations fused
    /// and in place, channels-last layout. It snapshots the current weights (prepare again after changing them);
    /// the registered modules and the state_dict are left as they are, so training keeps using the modules.
    /// </summary>
    internal MobileNetV3SmallInference PrepareForInference()
    {
        var layers = features.children().ToList();
        var stem = ((Sequential)layers[0]).children().ToList();
        var stemConv = FusedConv2d.Fold((Conv2d)stem[0], (BatchNorm2d)stem[1], Activation.Hardswish);
        var blocks = layers.Skip(1).Cast<InvertedResidual>().Select(b => b.PrepareForInference()).ToList();
        return new MobileNetV3SmallInference(stemConv, blocks);
    }

    /// <summary>
    /// Rounds a width to the nearest multiple of <paramref name="divisor"/> (ties up), never below the divisor
    /// and never more than 10% below the requested value — the rule every MobileNet uses for channel counts.
    /// </summary>
    public static int MakeDivisible(double value, int divisor)
    {
        int rounded = Math.Max(divisor, (int)(value + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * value) rounded += divisor;
        return rounded;
    }
}
