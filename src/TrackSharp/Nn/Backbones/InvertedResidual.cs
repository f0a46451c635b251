using TorchSharp.Modules;
using TrackSharp.Nn.Inference;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Nn.Backbones;

/// <summary>
/// MobileNetV3 inverted residual block as NanoTrack's backbone defines it. Two layouts, kept index-for-index
/// with the reference because the state_dict names are <c>conv.&lt;index&gt;</c>:
/// <list type="bullet">
/// <item>no expansion (input width == expanded width): dw conv, BN, act, SE|identity, pw conv, BN;</item>
/// <item>otherwise: pw conv, BN, act, dw conv, BN, SE|identity, act, pw conv, BN — note the squeeze-excite
/// sits <em>before</em> the second activation.</item>
/// </list>
/// The residual is added only for stride 1 with equal input and output widths.
/// </summary>
public sealed class InvertedResidual : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Sequential conv;
#pragma warning restore IDE1006
    private readonly bool _residual;
    private readonly Activation _activation;

    public InvertedResidual(int input, int expanded, int output, int kernel, int stride, bool squeezeExcite,
        bool hardSwish) : base(nameof(InvertedResidual))
    {
        _residual = stride == 1 && input == output;
        _activation = hardSwish ? Activation.Hardswish : Activation.ReLU;
        int pad = (kernel - 1) / 2;
        Module<Tensor, Tensor> Act() => hardSwish ? Hardswish() : ReLU();
        Module<Tensor, Tensor> Se() => squeezeExcite ? new SqueezeExcite(expanded) : Identity();

        conv = input == expanded
            ? Sequential(
                Conv2d(expanded, expanded, kernel, stride, pad, groups: expanded, bias: false),
                BatchNorm2d(expanded), Act(), Se(),
                Conv2d(expanded, output, 1, bias: false), BatchNorm2d(output))
            : Sequential(
                Conv2d(input, expanded, 1, bias: false), BatchNorm2d(expanded), Act(),
                Conv2d(expanded, expanded, kernel, stride, pad, groups: expanded, bias: false),
                BatchNorm2d(expanded), Se(), Act(),
                Conv2d(expanded, output, 1, bias: false), BatchNorm2d(output));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (!_residual) return conv.forward(x);
        using var y = conv.forward(x);
        return x + y;
    }

    /// <summary>
    /// The block with every BN folded into its conv and the activations fused where the layer order allows
    /// (a snapshot of the current weights; the modules are not changed).
    /// </summary>
    internal InvertedResidualInference PrepareForInference()
    {
        var layers = conv.children().ToList();
        FusedConv2d Fold(int convIndex, Activation activation = Activation.None) =>
            FusedConv2d.Fold((Conv2d)layers[convIndex], (BatchNorm2d)layers[convIndex + 1], activation);
        ChannelGate? SqueezeExciteAt(int index) =>
            layers[index] is SqueezeExcite se ? se.PrepareForInference() : null;

        if (layers.Count == 6)
        {
            // dw conv, BN, act, SE|identity, pw conv, BN: the activation directly follows the dw BN.
            return new InvertedResidualInference(null, Fold(0, _activation), SqueezeExciteAt(3), Activation.None,
                Fold(4), _residual);
        }
        // pw conv, BN, act, dw conv, BN, SE|identity, act, pw conv, BN: with an SE the activation must wait for it.
        var se = SqueezeExciteAt(5);
        return new InvertedResidualInference(Fold(0, _activation), Fold(3, se is null ? _activation : Activation.None),
            se, se is null ? Activation.None : _activation, Fold(7), _residual);
    }
}
