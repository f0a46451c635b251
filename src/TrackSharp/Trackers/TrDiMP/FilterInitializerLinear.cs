using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// DiMP's <c>FilterInitializerLinear</c>: conv3×3 (with bias) on the classification features, PrRoIPool of the target
/// box into a filter-sized grid at 1/<c>featureStride</c>, averaged over the training images. TrDiMP uses
/// <c>filter_norm = False</c> (no division by the filter size).
/// </summary>
public sealed class FilterInitializerLinear : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Conv2d filter_conv;
#pragma warning restore IDE1006

    public FilterInitializerLinear(int filterSize, int featureDim, int featureStride = 16, bool filterNorm = false, int convKsz = 3)
        : base(nameof(FilterInitializerLinear))
    {
        FilterSize = filterSize;
        FeatureStride = featureStride;
        FilterNorm = filterNorm;
        filter_conv = Conv2d(featureDim, featureDim, convKsz, padding: convKsz / 2);
        using (no_grad())
        {
            init.normal_(filter_conv.weight!, 0, Math.Sqrt(2.0 / (convKsz * convKsz * featureDim)));
            init.zeros_(filter_conv.bias!);
        }
        RegisterComponents();
    }

    public int FilterSize { get; }
    public int FeatureStride { get; }
    public bool FilterNorm { get; }

    /// <summary>feat (images, [sequences], C, H, W), bb (images, [sequences], 4) xywh in image coordinates →
    /// filter (sequences, C, fs, fs).</summary>
    public override Tensor forward(Tensor feat, Tensor bb)
    {
        using var scope = NewDisposeScope();
        long numImages = feat.shape[0];
        var x = filter_conv.call(feat.view(-1, feat.shape[^3], feat.shape[^2], feat.shape[^1]));
        var boxes = bb.view(-1, 4);
        var batchIndex = arange(boxes.shape[0], dtype: ScalarType.Float32, device: boxes.device).view(-1, 1);
        var xyxy = cat([boxes[.., ..2], boxes[.., ..2] + boxes[.., 2..]], 1);
        var weights = PrRoIPool.Pool(x, cat([batchIndex, xyxy], 1), FilterSize, FilterSize, 1.0 / FeatureStride);
        if (numImages > 1)
            weights = weights.view(numImages, -1, weights.shape[^3], weights.shape[^2], weights.shape[^1]).mean([0]);
        if (FilterNorm)
            weights = weights / (weights.shape[1] * weights.shape[2] * weights.shape[3]);
        return weights.MoveToOuterDisposeScope();
    }
}
