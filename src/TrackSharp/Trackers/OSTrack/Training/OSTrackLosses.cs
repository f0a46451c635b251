using TorchSharp;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack.Training;

/// <summary>
/// One actor evaluation: the unweighted components (scalar tensors, attached to the graph), the weighted total
/// <c>giou_w·giou + l1_w·l1 + focal_w·location</c> that is back-propagated, the per-sample IoU and its mean (the
/// reference's <c>IoU</c> statistic).
/// </summary>
public sealed record OSTrackLosses(Tensor Total, Tensor Giou, Tensor L1, Tensor Location, Tensor Iou, OSTrackLossWeights Weights)
    : IDisposable
{
    /// <summary>The mean IoU over the batch (detached).</summary>
    public double MeanIou => Iou.numel() == 0 ? 0 : Iou.detach().mean().ToDouble();

    /// <summary>The reference actor's status dict: <c>Loss/total</c>, <c>Loss/giou</c>, <c>Loss/l1</c>,
    /// <c>Loss/location</c>, <c>IoU</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Status() =>
    [
        new("Loss/total", Total.detach().ToDouble()),
        new("Loss/giou", Giou.detach().ToDouble()),
        new("Loss/l1", L1.detach().ToDouble()),
        new("Loss/location", Location.detach().ToDouble()),
        new("IoU", MeanIou),
    ];

    public void Dispose()
    {
        Total.Dispose();
        Giou.Dispose();
        L1.Dispose();
        Location.Dispose();
        Iou.Dispose();
    }
}
