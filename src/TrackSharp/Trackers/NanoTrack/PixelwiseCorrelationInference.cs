using TrackSharp.Nn.Inference;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>One <see cref="PixelwiseCorrelationBlock"/>'s parts for <see cref="PixelwiseCorrelationInference"/>.</summary>
/// <param name="KernelAdjust">conv_kernel with BN folded, or null (v1).</param>
/// <param name="SearchWeight">conv_search with BN folded as a float64 [C, C] matrix, or null (v1).</param>
/// <param name="SearchBias">Its float64 bias [C], or null.</param>
/// <param name="Attention">The block's channel attention.</param>
/// <param name="Refine">The v3 <c>conv</c>: fused depth-wise 2x2 conv and fused point-wise conv; or null.</param>
internal sealed record PixelwiseCorrelationBranch(FusedConv2d? KernelAdjust, Tensor? SearchWeight, Tensor? SearchBias,
    ChannelGate Attention, (FusedConv2d Depthwise, FusedConv2d Pointwise)? Refine);

/// <summary>
/// One or more <see cref="PixelwiseCorrelationBlock"/>s that read the same search features (v2/v3: the cls
/// and box branches), run together for inference; the output holds the branches' 64-channel maps one after
/// the other. Everything that depends only on the template is computed once per template.
/// <para>
/// The correlation is linear in the adjusted search map <c>s = A x + a</c> (<c>conv_search</c> with its BN
/// folded), so with <c>Z</c> the adjusted template as a [C, 64] matrix (column k = template position k),
/// <c>corr[k, p] = sum_c Z[c, k] s[c, p] = (Aᵀ Z)[:, k] · x[:, p] + (Zᵀ a)[k]</c>: one [HW, C] x [C, 64·branches]
/// product per frame with weights prepared in float64, instead of a 1x1 conv and a matrix product per branch.
/// Its result is already the channels-last map. The channel attentions run as one block-diagonal attention and
/// the refinement depth-wise convs as one call (see <see cref="FusedConv2d.Stack"/>).
/// </para>
/// </summary>
internal sealed class PixelwiseCorrelationInference : IDisposable
{
    private const int Positions = 64;

    private readonly IReadOnlyList<PixelwiseCorrelationBranch> _branches;
    private readonly ChannelGate _attention;
    private readonly FusedConv2d? _refineDepthwise;
    private readonly RowProjection[]? _refinePointwise;
    private Tensor? _weight;
    private Tensor? _bias;

    /// <summary>Takes ownership of the branches (all with or all without adjust convs and refinement).</summary>
    public PixelwiseCorrelationInference(IReadOnlyList<PixelwiseCorrelationBranch> branches)
    {
        _branches = branches;
        _attention = ChannelGate.BlockDiagonal(branches.Select(b => b.Attention).ToList());
        if (branches.All(b => b.Refine is not null))
        {
            _refineDepthwise = FusedConv2d.Stack(branches.Select(b => b.Refine!.Value.Depthwise).ToList());
            _refinePointwise = branches.Select(b => new RowProjection(b.Refine!.Value.Pointwise)).ToArray();
        }
        else if (branches.Any(b => b.Refine is not null))
        {
            throw new ArgumentException("either every branch is refined or none");
        }
    }

    /// <summary>Prepares the per-frame weights from the template features (1xCx8x8, any layout).</summary>
    public void SetTemplate(Tensor templateFeatures)
    {
        if (templateFeatures.shape[0] != 1) throw new ArgumentException("the inference plan runs batch 1 only");
        using var scope = NewDisposeScope();
        var weights = new List<Tensor>();
        var biases = new List<Tensor>();
        foreach (var branch in _branches)
        {
            var z = branch.KernelAdjust?.Forward(templateFeatures) ?? templateFeatures;
            var zMatrix = z.contiguous().view(z.shape[1], -1);
            if (branch.SearchWeight is null)
            {
                weights.Add(zMatrix);
                continue;
            }
            var z64 = zMatrix.to(ScalarType.Float64);
            weights.Add(branch.SearchWeight.t().matmul(z64).to(ScalarType.Float32));
            biases.Add(z64.t().matmul(branch.SearchBias!).to(ScalarType.Float32));
        }
        _weight?.Dispose();
        _bias?.Dispose();
        _weight = cat(weights.ToArray(), 1).DetachFromDisposeScope();
        _bias = biases.Count == 0 ? null : cat(biases.ToArray(), 0).DetachFromDisposeScope();
    }

    /// <summary>
    /// Correlation, channel attention and (v3) refinement of 1xCxHxW search features: a new channels-last
    /// 1x(64·branches)xH'xW' map, branch after branch.
    /// </summary>
    public Tensor Forward(Tensor search)
    {
        if (_weight is null) throw new InvalidOperationException("SetTemplate must be called first");
        long h = search.shape[2], w = search.shape[3];
        using var rows = ChannelsLast.Rows(search);
        using var product = _bias is null ? rows.mm(_weight) : addmm(_bias, rows, _weight, 1, 1);
        var correlation = ChannelsLast.Map(product, h, w);
        _attention.ForwardInPlace(correlation);
        if (_refineDepthwise is null) return correlation;

        using (correlation)
        {
            using var depthwise = _refineDepthwise.Forward(correlation);
            using var depthwiseRows = ChannelsLast.Rows(depthwise);
            var parts = new Tensor[_refinePointwise!.Length];
            try
            {
                for (int i = 0; i < parts.Length; i++)
                {
                    using var slice = depthwiseRows.narrow(1, i * Positions, Positions);
                    parts[i] = _refinePointwise[i].Forward(slice);
                }
                using var joined = parts.Length == 1 ? parts[0].alias() : cat(parts, 1);
                return ChannelsLast.Map(joined, depthwise.shape[2], depthwise.shape[3]);
            }
            finally
            {
                foreach (var part in parts) part?.Dispose();
            }
        }
    }

    public void Dispose()
    {
        foreach (var branch in _branches)
        {
            branch.KernelAdjust?.Dispose();
            branch.SearchWeight?.Dispose();
            branch.SearchBias?.Dispose();
            branch.Attention.Dispose();
            branch.Refine?.Depthwise.Dispose();
            branch.Refine?.Pointwise.Dispose();
        }
        _attention.Dispose();
        _refineDepthwise?.Dispose();
        if (_refinePointwise is not null) foreach (var p in _refinePointwise) p.Dispose();
        _weight?.Dispose();
        _bias?.Dispose();
    }
}
