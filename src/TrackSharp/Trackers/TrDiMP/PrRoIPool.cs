using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// Precise RoI Pooling (Jiang et al., ECCV 2018) as the CUDA kernel of pytracking's <c>PrRoIPool2D</c> defines it,
/// written with differentiable torch ops so that autograd gives the gradients w.r.t. the features and the box
/// coordinates (the IoUNet box refinement ascends along the latter).
/// <para>
/// The feature map is the continuous bilinear interpolation between pixel centres at integer coordinates, zero
/// outside the map. Each output bin is the exact integral of that function over the bin divided by the bin area.
/// The interpolation is separable, so the integral over a bin is <c>Wy · F · Wxᵀ</c> with
/// <c>W[p, i] = G(end − i) − G(start − i)</c> and <c>G</c> the antiderivative of the tent
/// (<c>G(u) = 0.5 + v − 0.5·v·|v|</c>, <c>v = clamp(u, −1, 1)</c>); G is C¹, so the autograd derivative w.r.t. the
/// bin edges equals the reference's analytic coordinate backward (edge line integrals minus edge length × output,
/// over the area). Degenerate bins (zero area, e.g. <c>x2 ≤ x1</c>) give 0 and no gradient, as the kernel does.
/// </para>
/// </summary>
public static class PrRoIPool
{
    /// <summary>
    /// Pools every RoI. <paramref name="rois"/> is (K, 5) = (batch index, x1, y1, x2, y2) in image coordinates;
    /// feature coordinates are image coordinates × <paramref name="spatialScale"/> (no half-pixel offset). The
    /// batch index is truncated toward zero (a C float→int cast) and gets no gradient. Returns (K, C, PH, PW).
    /// </summary>
    public static Tensor Pool(Tensor features, Tensor rois, int pooledHeight, int pooledWidth, double spatialScale)
    {
        if (features.dim() != 4) throw new ArgumentException($"PrRoIPool: features must be (N, C, H, W), got [{string.Join(", ", features.shape)}]");
        if (rois.dim() != 2 || rois.shape[1] != 5) throw new ArgumentException($"PrRoIPool: rois must be (K, 5), got [{string.Join(", ", rois.shape)}]");
        if (pooledHeight <= 0 || pooledWidth <= 0) throw new ArgumentException($"PrRoIPool: pooled size must be positive, got {pooledHeight}x{pooledWidth}");
        long height = features.shape[2], width = features.shape[3];

        using var scope = NewDisposeScope();
        var batchIndex = rois.select(1, 0).detach().to(ScalarType.Int64);
        var x1 = rois.select(1, 1) * spatialScale;
        var y1 = rois.select(1, 2) * spatialScale;
        var x2 = rois.select(1, 3) * spatialScale;
        var y2 = rois.select(1, 4) * spatialScale;
        var binW = (x2 - x1).clamp_min(0) / pooledWidth;
        var binH = (y2 - y1).clamp_min(0) / pooledHeight;

        var wy = EdgeWeights(y1, binH, pooledHeight, height, features.device);   // (K, PH, H)
        var wx = EdgeWeights(x1, binW, pooledWidth, width, features.device);    // (K, PW, W)
        var perRoi = features.index_select(0, batchIndex);                       // (K, C, H, W)
        var integral = matmul(matmul(wy.unsqueeze(1), perRoi), wx.unsqueeze(1).transpose(2, 3)); // (K, C, PH, PW)

        var area = binW * binH;
        var valid = area > 0;
        var safeArea = where(valid, area, ones_like(area));
        var pooled = where(valid.view(-1, 1, 1, 1), integral / safeArea.view(-1, 1, 1, 1), zeros_like(integral));
        return pooled.MoveToOuterDisposeScope();
    }

    /// <summary>Integral weights (K, P, size) of the tent basis over the bins [start + bin·p, start + bin·p + bin].</summary>
    private static Tensor EdgeWeights(Tensor start, Tensor bin, int pooled, long size, Device device)
    {
        var p = arange(pooled, dtype: start.dtype, device: device);
        var binStart = start.unsqueeze(1) + bin.unsqueeze(1) * p.unsqueeze(0);   // (K, P), computed as the kernel does
        var binEnd = binStart + bin.unsqueeze(1);
        var cells = arange(size, dtype: start.dtype, device: device).view(1, 1, -1);
        return TentAntiderivative(binEnd.unsqueeze(2) - cells) - TentAntiderivative(binStart.unsqueeze(2) - cells);
    }

    /// <summary>∫_{−∞}^{u} max(0, 1 − |t|) dt.</summary>
    private static Tensor TentAntiderivative(Tensor u)
    {
        var v = u.clamp(-1.0, 1.0);
        return 0.5 + v - 0.5 * v * v.abs();
    }
}
