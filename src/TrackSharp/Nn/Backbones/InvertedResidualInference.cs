using TrackSharp.Nn.Inference;
using static TorchSharp.torch;

namespace TrackSharp.Nn.Backbones;

/// <summary>
/// <see cref="InvertedResidual"/> for inference: every conv+BN folded into one <see cref="FusedConv2d"/>, the
/// activation fused into the conv it follows where nothing sits in between (the squeeze-excite of the expanded
/// layout comes before its activation, so that one stays separate), every intermediate freed as soon as it is
/// consumed, and the residual added in place.
/// </summary>
internal sealed class InvertedResidualInference : IDisposable
{
    private readonly FusedConv2d? _expand;
    private readonly FusedConv2d _depthwise;
    private readonly ChannelGate? _squeezeExcite;
    private readonly Activation _afterSqueezeExcite;
    private readonly FusedConv2d _project;
    private readonly bool _residual;

    public InvertedResidualInference(FusedConv2d? expand, FusedConv2d depthwise, ChannelGate? squeezeExcite,
        Activation afterSqueezeExcite, FusedConv2d project, bool residual)
    {
        (_expand, _depthwise, _squeezeExcite, _afterSqueezeExcite, _project, _residual) =
            (expand, depthwise, squeezeExcite, afterSqueezeExcite, project, residual);
    }

    public Tensor Forward(Tensor x)
    {
        Tensor y;
        if (_expand is null)
        {
            y = _depthwise.Forward(x);
        }
        else
        {
            using var expanded = _expand.Forward(x);
            y = _depthwise.Forward(expanded);
        }
        using (y)
        {
            _squeezeExcite?.ForwardInPlace(y);
            _afterSqueezeExcite.ApplyInPlace(y);
            var output = _project.Forward(y);
            return _residual ? output.add_(x) : output;
        }
    }

    public void Dispose()
    {
        _expand?.Dispose();
        _depthwise.Dispose();
        _squeezeExcite?.Dispose();
        _project.Dispose();
    }
}
