using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack.Training;

/// <summary>
/// Paired generalised IoU (<c>lib/utils/box_ops.py: generalized_box_iou</c> and <c>giou_loss</c> of OSTrack, which pair
/// row i with row i rather than building the N×M matrix of DETR's version). Boxes are xyxy [N, 4] in any common unit.
/// </summary>
public static class GiouLoss
{
    /// <summary>Per pair: (GIoU [N], IoU [N]).</summary>
    public static (Tensor Giou, Tensor Iou) Generalized(Tensor boxes1, Tensor boxes2)
    {
        ArgumentNullException.ThrowIfNull(boxes1);
        ArgumentNullException.ThrowIfNull(boxes2);
        using var scope = NewDisposeScope();
        var area1 = Area(boxes1);
        var area2 = Area(boxes2);
        var lt = maximum(boxes1[.., ..2], boxes2[.., ..2]);
        var rb = minimum(boxes1[.., 2..], boxes2[.., 2..]);
        var wh = (rb - lt).clamp_min(0);
        var inter = wh[.., 0] * wh[.., 1];
        var union = area1 + area2 - inter;
        var iou = inter / union;
        var encloseLt = minimum(boxes1[.., ..2], boxes2[.., ..2]);
        var encloseRb = maximum(boxes1[.., 2..], boxes2[.., 2..]);
        var encloseWh = (encloseRb - encloseLt).clamp_min(0);
        var enclose = encloseWh[.., 0] * encloseWh[.., 1];
        var giou = iou - (enclose - union) / enclose;
        return (giou.MoveToOuterDisposeScope(), iou.MoveToOuterDisposeScope());
    }

    /// <summary><c>giou_loss</c>: (mean(1 − GIoU), IoU per pair).</summary>
    public static (Tensor Loss, Tensor Iou) Compute(Tensor predXyxy, Tensor targetXyxy)
    {
        using var scope = NewDisposeScope();
        var (giou, iou) = Generalized(predXyxy, targetXyxy);
        return ((1 - giou).mean().MoveToOuterDisposeScope(), iou.MoveToOuterDisposeScope());
    }

    /// <summary>True when every box has x2 ≥ x1 and y2 ≥ y1 (the reference asserts it and falls back to a zero loss).</summary>
    public static bool AreValid(Tensor boxesXyxy) =>
        boxesXyxy[.., 2..].ge(boxesXyxy[.., ..2]).all().item<bool>();

    private static Tensor Area(Tensor b) => (b[.., 2] - b[.., 0]) * (b[.., 3] - b[.., 1]);
}
