using TrackSharp.Nn.Inference;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// <see cref="DepthwiseCorrelationBlock"/> for inference: the adjusted template kernel is computed once per
/// template; per frame only the search adjust (BN folded) and the padded depth-wise correlation run.
/// </summary>
internal sealed class DepthwiseCorrelationInference : IDisposable
{
    private readonly FusedConv2d _kernelAdjust;
    private readonly FusedConv2d _searchAdjust;
    private Tensor? _kernel;

    public DepthwiseCorrelationInference(FusedConv2d kernelAdjust, FusedConv2d searchAdjust)
    {
        _kernelAdjust = kernelAdjust;
        _searchAdjust = searchAdjust;
    }

    /// <summary>Prepares the depth-wise kernel from the (centre-cropped) template features, batch 1.</summary>
    public void SetTemplate(Tensor templateCentre)
    {
        if (templateCentre.shape[0] != 1) throw new ArgumentException("the inference plan runs batch 1 only");
        using var adjusted = _kernelAdjust.Forward(templateCentre);
        using var dense = adjusted.contiguous();
        _kernel?.Dispose();
        _kernel = dense.view(dense.shape[1], 1, dense.shape[2], dense.shape[3]).DetachFromDisposeScope();
    }

    /// <summary>The padded depth-wise correlation (as <see cref="Correlation.DepthwisePadded"/>) of 1xCxHxW search features.</summary>
    public Tensor Forward(Tensor search)
    {
        if (_kernel is null) throw new InvalidOperationException("SetTemplate must be called first");
        using var adjusted = _searchAdjust.Forward(search);
        return nn.functional.conv2d(adjusted, _kernel, null, new long[] { 1, 1 }, new long[] { 1, 1 },
            new long[] { 1, 1 }, _kernel.shape[0]);
    }

    public void Dispose()
    {
        _kernelAdjust.Dispose();
        _searchAdjust.Dispose();
        _kernel?.Dispose();
    }
}
