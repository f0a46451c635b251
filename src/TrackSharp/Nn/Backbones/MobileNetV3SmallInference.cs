using TrackSharp.Nn.Inference;
using static TorchSharp.torch;

namespace TrackSharp.Nn.Backbones;

/// <summary>
/// The inference plan of <see cref="MobileNetV3Small"/> (see <see cref="MobileNetV3Small.PrepareForInference"/>):
/// the stem as one fused conv, then the blocks' plans, all in the channels-last layout.
/// </summary>
internal sealed class MobileNetV3SmallInference : IDisposable
{
    private readonly FusedConv2d _stem;
    private readonly IReadOnlyList<InvertedResidualInference> _blocks;

    public MobileNetV3SmallInference(FusedConv2d stem, IReadOnlyList<InvertedResidualInference> blocks)
    {
        _stem = stem;
        _blocks = blocks;
    }

    /// <summary>
    /// Features of a 1x3xHxW crop as a new channels-last tensor (same values and shape as the module's output;
    /// call <c>contiguous()</c> for the NCHW memory order). A channels-last crop is used as it is, any other
    /// layout is copied first.
    /// </summary>
    public Tensor Forward(Tensor crop)
    {
        Tensor x;
        if (ChannelsLast.Is(crop))
        {
            x = _stem.Forward(crop);
        }
        else
        {
            using var input = ChannelsLast.Copy(crop);
            x = _stem.Forward(input);
        }
        foreach (var block in _blocks)
        {
            using var previous = x;
            x = block.Forward(previous);
        }
        return x;
    }

    public void Dispose()
    {
        _stem.Dispose();
        foreach (var block in _blocks) block.Dispose();
    }
}
