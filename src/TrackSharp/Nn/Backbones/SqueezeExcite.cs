using TrackSharp.Nn.Inference;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Nn.Backbones;

/// <summary>
/// MobileNetV3's squeeze-and-excitation gate: global average pool, Linear, ReLU, Linear, hard sigmoid, and a
/// per-channel multiply. The hidden width is <c>MakeDivisible(channels / 4, 8)</c>. Parameter names
/// (<c>fc.0</c>, <c>fc.2</c>) follow the reference implementation so its state dicts load unchanged.
/// </summary>
public sealed class SqueezeExcite : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // names must match the reference state_dict
    private readonly Sequential fc;
#pragma warning restore IDE1006

    public SqueezeExcite(int channels) : base(nameof(SqueezeExcite))
    {
        int hidden = MobileNetV3Small.MakeDivisible(channels / 4, 8);
        fc = Sequential(Linear(channels, hidden), ReLU(), Linear(hidden, channels), Hardsigmoid());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1];
        var gate = fc.forward(x.mean(new long[] { 2, 3 })).view(b, c, 1, 1);
        return (x * gate).MoveToOuterDisposeScope();
    }

    /// <summary>A snapshot of the two Linear layers as a hard-sigmoid <see cref="ChannelGate"/>.</summary>
    internal ChannelGate PrepareForInference()
    {
        using var noGrad = no_grad();
        var layers = fc.children().OfType<Linear>().ToArray();
        return new ChannelGate(layers[0].weight!.detach().clone(), layers[0].bias!.detach().clone(),
            layers[1].weight!.detach().clone(), layers[1].bias!.detach().clone(), ChannelGate.GateActivation.HardSigmoid);
    }
}
