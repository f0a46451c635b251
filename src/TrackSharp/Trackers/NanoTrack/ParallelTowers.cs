using TrackSharp.Nn.Inference;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// Same-shaped towers of [depth-wise conv, point-wise conv] pairs (v2/v3 cls and box towers), each followed by
/// its own output projection, run side by side on a map that holds the branches' inputs one after the other
/// along the channels. Each depth-wise layer is one call for all branches (its fixed cost dominates at these
/// map sizes, see <see cref="FusedConv2d.Stack"/>); each point-wise layer is a matrix product per branch on its
/// column slice of the rows (a stacked grouped 1x1 conv would go through oneDNN and cost more).
/// </summary>
internal sealed class ParallelTowers : IDisposable
{
    private readonly FusedConv2d[] _depthwise;
    private readonly RowProjection[][] _pointwise;
    private readonly RowProjection[] _outputs;
    private readonly long[] _inputWidths;

    /// <param name="towers">Per branch: the tower's fused convs (depth-wise, point-wise, depth-wise, ...) and its output projection. Disposed here.</param>
    public ParallelTowers(IReadOnlyList<(IReadOnlyList<FusedConv2d> Tower, FusedConv2d Output)> towers)
    {
        int layers = towers[0].Tower.Count / 2;
        if (towers.Any(t => t.Tower.Count != 2 * layers))
            throw new ArgumentException("every tower needs the same number of (depth-wise, point-wise) pairs");
        _depthwise = new FusedConv2d[layers];
        _pointwise = new RowProjection[layers][];
        _inputWidths = new long[layers];
        for (int l = 0; l < layers; l++)
        {
            var dw = towers.Select(t => t.Tower[2 * l]).ToList();
            _depthwise[l] = FusedConv2d.Stack(dw);
            _inputWidths[l] = dw[0].OutputChannels;
            _pointwise[l] = towers.Select(t => new RowProjection(t.Tower[2 * l + 1])).ToArray();
        }
        _outputs = towers.Select(t => new RowProjection(t.Output)).ToArray();
        foreach (var (tower, output) in towers)
        {
            foreach (var conv in tower) conv.Dispose();
            output.Dispose();
        }
    }

    /// <summary>The branches' outputs as [H*W, out] rows, for a 1x(C·branches)xHxW channels-last input (not disposed).</summary>
    public Tensor[] Forward(Tensor input)
    {
        Tensor? x = null;
        try
        {
            for (int l = 0; ; l++)
            {
                Tensor[] parts;
                long h, w;
                using (var depthwise = _depthwise[l].Forward(x ?? input))
                {
                    (h, w) = (depthwise.shape[2], depthwise.shape[3]);
                    using var rows = ChannelsLast.Rows(depthwise);
                    parts = PerBranch(_pointwise[l], rows, _inputWidths[l]);
                }
                x?.Dispose();
                x = null;
                if (l == _depthwise.Length - 1)
                {
                    try
                    {
                        return _outputs.Select((o, i) => o.Forward(parts[i])).ToArray();
                    }
                    finally
                    {
                        foreach (var p in parts) p.Dispose();
                    }
                }
                using (var joined = cat(parts, 1))
                {
                    foreach (var p in parts) p.Dispose();
                    x = ChannelsLast.Map(joined, h, w);
                }
            }
        }
        finally
        {
            x?.Dispose();
        }
    }

    private static Tensor[] PerBranch(RowProjection[] projections, Tensor rows, long width)
    {
        var result = new Tensor[projections.Length];
        for (int i = 0; i < projections.Length; i++)
        {
            using var slice = rows.narrow(1, i * width, width);
            result[i] = projections[i].Forward(slice);
        }
        return result;
    }

    public void Dispose()
    {
        foreach (var d in _depthwise) d.Dispose();
        foreach (var layer in _pointwise) foreach (var p in layer) p.Dispose();
        foreach (var o in _outputs) o.Dispose();
    }
}
