using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// ltr's <c>DistanceMap</c>: for each centre (y, x) in feature cells, the distance of every score-map cell,
/// encoded as a soft one-hot over <c>numBins</c> bins spaced <c>binDisplacement</c> apart (triangular
/// <c>relu(1 − |d/Δ − b|)</c>; the last bin takes everything beyond, <c>clamp(1 + d/Δ − b, 0, 1)</c>).
/// </summary>
public static class DistanceMap
{
    /// <summary>centre (N, 2) in (y, x) → (N, bins, H, W).</summary>
    public static Tensor Compute(Tensor center, int numBins, double binDisplacement, long height, long width)
    {
        using var scope = NewDisposeScope();
        var c = center.view(-1, 2);
        var bins = arange(numBins, dtype: ScalarType.Float32, device: c.device).view(1, -1, 1, 1);
        var k0 = arange(height, dtype: ScalarType.Float32, device: c.device).view(1, 1, -1, 1);
        var k1 = arange(width, dtype: ScalarType.Float32, device: c.device).view(1, 1, 1, -1);
        var d0 = k0 - c[.., 0].view(-1, 1, 1, 1);
        var d1 = k1 - c[.., 1].view(-1, 1, 1, 1);
        var dist = (d0 * d0 + d1 * d1).sqrt();
        var diff = dist / binDisplacement - bins;
        var inner = nn.functional.relu(1.0 - diff[.., ..(numBins - 1)].abs());
        var last = (1.0 + diff[.., (numBins - 1)..]).clamp(0, 1);
        return cat([inner, last], 1).MoveToOuterDisposeScope();
    }
}
