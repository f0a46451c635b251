using TrackSharp.Nn.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// Channel attention on the correlation map (the reference's <c>CAModule</c>): global average pool,
/// 1x1 conv, ReLU, 1x1 conv, sigmoid, per-channel multiply.
/// </summary>
public sealed class ChannelAttention : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
#pragma warning restore IDE1006

    public ChannelAttention(int channels) : base(nameof(ChannelAttention))
    {
        fc1 = Conv2d(channels, channels, 1);
        fc2 = Conv2d(channels, channels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gate = fc2.forward(fc1.forward(x.mean(new long[] { 2, 3 }, keepdim: true)).relu_()).sigmoid_();
        return (x * gate).MoveToOuterDisposeScope();
    }

    /// <summary>A snapshot of the two 1x1 convs as matrices, as a sigmoid <see cref="ChannelGate"/>.</summary>
    internal ChannelGate PrepareForInference()
    {
        using var noGrad = no_grad();
        static Tensor Matrix(Conv2d conv) => conv.weight!.detach().reshape(conv.out_channels, conv.in_channels).clone();
        return new ChannelGate(Matrix(fc1), fc1.bias!.detach().clone(), Matrix(fc2), fc2.bias!.detach().clone(),
            ChannelGate.GateActivation.Sigmoid);
    }
}
