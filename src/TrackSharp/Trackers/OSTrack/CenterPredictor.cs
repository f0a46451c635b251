using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>Centre-head maps on the search grid: score [B, 1, F, F] and size [B, 2, F, F] (w, h normalised to the
/// search crop; both sigmoid clamped to [1e-4, 1 − 1e-4]) and the raw sub-cell offset [B, 2, F, F] (dx, dy).</summary>
public sealed record CenterMaps(Tensor ScoreMap, Tensor SizeMap, Tensor OffsetMap) : IDisposable
{
    public void Dispose()
    {
        ScoreMap.Dispose();
        SizeMap.Dispose();
        OffsetMap.Dispose();
    }
}

/// <summary>
/// OSTrack's <c>CenterPredictor</c> (<c>lib/models/layers/head.py</c>, HEAD.TYPE CENTER): three towers (centre, offset,
/// size) of four 3x3 conv (bias) + BatchNorm2d + ReLU stages with channels C → N → N/2 → N/4 → N/8, each closed by a
/// 1x1 conv to 1, 2 and 2 channels. Names: <c>conv{1..4}_{ctr,offset,size}.{0 conv, 1 bn}</c>,
/// <c>conv5_{ctr,offset,size}</c>.
/// </summary>
public sealed class CenterPredictor : nn.Module
{
#pragma warning disable IDE1006
    private readonly Sequential conv1_ctr, conv2_ctr, conv3_ctr, conv4_ctr;
    private readonly Conv2d conv5_ctr;
    private readonly Sequential conv1_offset, conv2_offset, conv3_offset, conv4_offset;
    private readonly Conv2d conv5_offset;
    private readonly Sequential conv1_size, conv2_size, conv3_size, conv4_size;
    private readonly Conv2d conv5_size;
#pragma warning restore IDE1006

    /// <param name="inputChannels">Backbone embedding width.</param>
    /// <param name="channels">HEAD.NUM_CHANNELS.</param>
    /// <param name="featSize">Search grid size F (SEARCH.SIZE / STRIDE).</param>
    public CenterPredictor(int inputChannels, int channels, int featSize) : base(nameof(CenterPredictor))
    {
        FeatSize = featSize;
        int n = channels;
        conv1_ctr = Stage(inputChannels, n); conv2_ctr = Stage(n, n / 2); conv3_ctr = Stage(n / 2, n / 4); conv4_ctr = Stage(n / 4, n / 8);
        conv5_ctr = Conv2d(n / 8, 1, 1);
        conv1_offset = Stage(inputChannels, n); conv2_offset = Stage(n, n / 2); conv3_offset = Stage(n / 2, n / 4); conv4_offset = Stage(n / 4, n / 8);
        conv5_offset = Conv2d(n / 8, 2, 1);
        conv1_size = Stage(inputChannels, n); conv2_size = Stage(n, n / 2); conv3_size = Stage(n / 2, n / 4); conv4_size = Stage(n / 4, n / 8);
        conv5_size = Conv2d(n / 8, 2, 1);
        RegisterComponents();

        // The reference initialises every weight with more than one dimension Xavier-uniform.
        using var noGrad = no_grad();
        foreach (var p in parameters())
            if (p.dim() > 1) init.xavier_uniform_(p);

        static Sequential Stage(int input, int output) => Sequential(
            ("0", Conv2d(input, output, 3, padding: 1, bias: true)),
            ("1", BatchNorm2d(output)),
            ("2", ReLU(inplace: true)));
    }

    /// <summary>Search grid size F.</summary>
    public int FeatSize { get; }

    /// <summary>The three maps of a search feature map [B, C, F, F] (<c>get_score_map</c>).</summary>
    public CenterMaps Maps(Tensor features)
    {
        using var scope = NewDisposeScope();
        var score = Clamp(conv5_ctr.forward(conv4_ctr.forward(conv3_ctr.forward(conv2_ctr.forward(conv1_ctr.forward(features))))));
        var offset = conv5_offset.forward(conv4_offset.forward(conv3_offset.forward(conv2_offset.forward(conv1_offset.forward(features)))));
        var size = Clamp(conv5_size.forward(conv4_size.forward(conv3_size.forward(conv2_size.forward(conv1_size.forward(features))))));
        return new CenterMaps(score.MoveToOuterDisposeScope(), size.MoveToOuterDisposeScope(), offset.MoveToOuterDisposeScope());

        // In-place sigmoid, then an out-of-place clamp, as the reference (an in-place clamp would break autograd).
        static Tensor Clamp(Tensor logits) => logits.sigmoid_().clamp(1e-4, 1 - 1e-4);
    }

    /// <summary>
    /// OSTrack's <c>cal_bbox</c>: the peak of <paramref name="scoreMap"/> [B, 1, F, F] (first maximum of the flattened
    /// map; y = idx / F, x = idx % F) read with its size and offset: [(x + dx)/F, (y + dy)/F, w, h], cxcywh normalised
    /// to the search crop, float32 [B, 4]; also the peak value [B, 1].
    /// </summary>
    public static (Tensor Boxes, Tensor PeakScore) CalBbox(Tensor scoreMap, Tensor sizeMap, Tensor offsetMap, int featSize)
    {
        using var scope = NewDisposeScope();
        long b = scoreMap.shape[0];
        var (maxScore, idx) = scoreMap.flatten(1).max(1, keepdim: true);
        var idxY = idx.div(featSize, rounding_mode: RoundingMode.floor);
        var idxX = idx.remainder(featSize);
        var gatherIdx = idx.unsqueeze(1).expand(b, 2, 1);
        var size = sizeMap.flatten(2).gather(2, gatherIdx).squeeze(-1);
        var offset = offsetMap.flatten(2).gather(2, gatherIdx).squeeze(-1);
        var boxes = cat([
            (idxX.to(ScalarType.Float32) + offset[.., ..1]) / featSize,
            (idxY.to(ScalarType.Float32) + offset[.., 1..]) / featSize,
            size], 1);
        return (boxes.MoveToOuterDisposeScope(), maxScore.MoveToOuterDisposeScope());
    }
}
