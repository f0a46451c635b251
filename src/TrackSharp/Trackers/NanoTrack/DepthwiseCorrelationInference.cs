using TrackSharp.Nn.Inference;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// One or more <see cref="DepthwiseCorrelationBlock"/>s that read the same search features (v3: cls and box),
/// run together for inference; the output holds the branches' maps one after the other. The adjusted template
/// kernels are computed once per template; per frame one 1x1 conv adjusts the search map for every branch
/// and one padded depth-wise conv correlates all of them (see <see cref="FusedConv2d.Stack"/> for why one call).
/// </summary>
internal sealed class DepthwiseCorrelationInference : IDisposable
{
    private readonly IReadOnlyList<FusedConv2d> _kernelAdjusts;
    private readonly FusedConv2d _searchAdjust;
    private Tensor? _kernel;

    /// <summary>Takes ownership of the branches' parts.</summary>
    public DepthwiseCorrelationInference(IReadOnlyList<(FusedConv2d KernelAdjust, FusedConv2d SearchAdjust)> branches)
    {
        _kernelAdjusts = branches.Select(b => b.KernelAdjust).ToList();
        _searchAdjust = FusedConv2d.Stack(branches.Select(b => b.SearchAdjust).ToList());
        foreach (var b in branches) b.SearchAdjust.Dispose();
    }

    /// <summary>Prepares the depth-wise kernels from the (centre-cropped) template features, batch 1.</summary>
    public void SetTemplate(Tensor templateCentre)
    {
        if (templateCentre.shape[0] != 1) throw new ArgumentException("the inference plan runs batch 1 only");
        using var scope = NewDisposeScope();
        var adjusted = cat(_kernelAdjusts.Select(k => k.Forward(templateCentre)).ToArray(), 1).contiguous();
        _kernel?.Dispose();
        _kernel = adjusted.view(adjusted.shape[1], 1, adjusted.shape[2], adjusted.shape[3]).DetachFromDisposeScope();
    }

    /// <summary>
    /// The padded depth-wise correlations (as <see cref="Correlation.DepthwisePadded"/>) of 1xCxHxW search
    /// features: a new channels-last 1x(C·branches)xH'xW' map.
    /// </summary>
    public Tensor Forward(Tensor search)
    {
        if (_kernel is null) throw new InvalidOperationException("SetTemplate must be called first");
        using var adjusted = _searchAdjust.Forward(search);
        return nn.functional.conv2d(adjusted, _kernel, null, new long[] { 1, 1 }, new long[] { 1, 1 },
            new long[] { 1, 1 }, _kernel.shape[0]);
    }

    public void Dispose()
    {
        foreach (var k in _kernelAdjusts) k.Dispose();
        _searchAdjust.Dispose();
        _kernel?.Dispose();
    }
}
