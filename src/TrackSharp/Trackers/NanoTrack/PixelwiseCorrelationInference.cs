using TrackSharp.Nn.Inference;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// <see cref="PixelwiseCorrelationBlock"/> for inference, with everything that depends only on the template
/// computed once per template.
/// <para>
/// The correlation is linear in the adjusted search map <c>s = A x + a</c> (<c>conv_search</c> with its BN
/// folded), so with <c>Z</c> the adjusted template as a [C, 64] matrix (column k = template position k),
/// <c>corr[k, p] = sum_c Z[c, k] s[c, p] = (Aᵀ Z)[:, k] · x[:, p] + (Zᵀ a)[k]</c>: one [HW, C] x [C, 64] product
/// per frame with weights prepared in float64, instead of a 1x1 conv and a matrix product. The output is
/// produced directly in the channels-last layout.
/// </para>
/// </summary>
internal sealed class PixelwiseCorrelationInference : IDisposable
{
    private readonly FusedConv2d? _kernelAdjust;
    private readonly Tensor? _searchWeight;
    private readonly Tensor? _searchBias;
    private readonly ChannelAttentionInference _attention;
    private readonly IReadOnlyList<FusedConv2d>? _refine;
    private Tensor? _weight;
    private Tensor? _bias;

    /// <param name="kernelAdjust">conv_kernel with BN, or null (v1).</param>
    /// <param name="searchAdjust">conv_search with BN folded, float64 [C, C] and [C], or null (v1); owned from now on.</param>
    /// <param name="refine">The v3 <c>conv</c> as fused convs, or null.</param>
    public PixelwiseCorrelationInference(FusedConv2d? kernelAdjust, (Tensor Weight, Tensor Bias)? searchAdjust,
        ChannelAttentionInference attention, IReadOnlyList<FusedConv2d>? refine)
    {
        _kernelAdjust = kernelAdjust;
        _searchWeight = searchAdjust?.Weight.DetachFromDisposeScope();
        _searchBias = searchAdjust?.Bias.DetachFromDisposeScope();
        _attention = attention;
        _refine = refine;
    }

    /// <summary>Prepares the per-frame weights from the template features (1xCx8x8, any layout).</summary>
    public void SetTemplate(Tensor templateFeatures)
    {
        if (templateFeatures.shape[0] != 1) throw new ArgumentException("the inference plan runs batch 1 only");
        using var scope = NewDisposeScope();
        var z = _kernelAdjust?.Forward(templateFeatures) ?? templateFeatures;
        long channels = z.shape[1];
        var zMatrix = z.contiguous().view(channels, -1);
        Tensor weight;
        Tensor? bias = null;
        if (_searchWeight is null)
        {
            weight = zMatrix.clone();
        }
        else
        {
            var z64 = zMatrix.to(ScalarType.Float64);
            weight = _searchWeight.t().matmul(z64).to(ScalarType.Float32);
            bias = z64.t().matmul(_searchBias!).to(ScalarType.Float32);
        }
        _weight?.Dispose();
        _bias?.Dispose();
        _weight = weight.DetachFromDisposeScope();
        _bias = bias?.DetachFromDisposeScope();
    }

    /// <summary>Correlation, channel attention and (v3) refinement of 1xCxHxW search features; channels-last result.</summary>
    public Tensor Forward(Tensor search)
    {
        if (_weight is null) throw new InvalidOperationException("SetTemplate must be called first");
        long h = search.shape[2], w = search.shape[3], positions = _weight.shape[1];
        // A view for channels-last input: one row of C features per search position.
        using var nhwc = search.permute(0, 2, 3, 1);
        using var rows = nhwc.reshape(h * w, search.shape[1]);
        using var product = _bias is null ? rows.mm(_weight) : addmm(_bias, rows, _weight, 1, 1);
        using var map = product.view(1, h, w, positions);
        var correlation = map.permute(0, 3, 1, 2);
        _attention.ForwardInPlace(correlation);
        if (_refine is null) return correlation;
        using (correlation) return FusedConv2d.ForwardAll(_refine, correlation);
    }

    public void Dispose()
    {
        _kernelAdjust?.Dispose();
        _searchWeight?.Dispose();
        _searchBias?.Dispose();
        _attention.Dispose();
        if (_refine is not null) foreach (var layer in _refine) layer.Dispose();
        _weight?.Dispose();
        _bias?.Dispose();
    }
}
