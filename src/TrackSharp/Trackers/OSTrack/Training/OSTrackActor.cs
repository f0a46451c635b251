using TrackSharp.Data.Targets;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack.Training;

/// <summary>
/// OSTrack's training actor (<c>lib/train/actors/ostrack.py: OSTrackActor</c>): the train-mode forward with the
/// CE template mask of the config's <c>CE_TEMPLATE_RANGE</c> and the keep rate of the epoch's schedule
/// (<see cref="KeepRateSchedule"/>, passed to every CE block; none for the plain ViT), then the losses:
/// <list type="bullet">
/// <item>focal loss (<see cref="FocalLoss"/>) of the score map against <c>generate_heatmap(search_anno)</c>;</item>
/// <item>GIoU and L1 between the predicted box (cxcywh → xyxy, not clamped) and the ground truth
/// (xywh → xyxy, clamped to [0, 1]); L1 is the mean over all B·4 values;</item>
/// <item>the total <c>GIOU_WEIGHT·giou + L1_WEIGHT·l1 + 1·focal</c>; the mean IoU is a statistic.</item>
/// </list>
/// When the GIoU inputs are degenerate the reference catches the assertion and uses 0 for the loss and the IoU; so
/// does this actor.
/// </summary>
public sealed class OSTrackActor
{
    /// <param name="model">The network (the caller owns it and sets train/eval mode).</param>
    /// <param name="weights">Loss weights; null = the published ones.</param>
    /// <param name="ceStartEpoch"><c>TRAIN.CE_START_EPOCH</c>.</param>
    /// <param name="ceWarmEpoch"><c>TRAIN.CE_WARM_EPOCH</c>.</param>
    public OSTrackActor(OSTrackModel model, OSTrackLossWeights? weights = null, int ceStartEpoch = 20, int ceWarmEpoch = 80)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Weights = weights ?? OSTrackLossWeights.Default;
        CeStartEpoch = ceStartEpoch;
        CeWarmEpoch = ceWarmEpoch;
    }

    public OSTrackModel Model { get; }
    public OSTrackLossWeights Weights { get; }
    public int CeStartEpoch { get; }
    public int CeWarmEpoch { get; }

    /// <summary>The keep rate passed to the CE blocks in (1-based) <paramref name="epoch"/>; null for the plain ViT
    /// (or an empty <c>CE_LOC</c>), where the reference passes none.</summary>
    public double? KeepRate(int epoch) =>
        Model.Config.UsesCandidateElimination && Model.Config.CeLoc.Count > 0
            ? KeepRateSchedule.ForEpoch(epoch, CeStartEpoch, CeWarmEpoch, Model.Config.CeKeepRatio[0])
            : null;

    /// <summary>Runs the forward pass and the losses of one batch.</summary>
    /// <param name="template">[B, 3, Tz, Tz] normalised template crops.</param>
    /// <param name="search">[B, 3, Sx, Sx] normalised search crops.</param>
    /// <param name="searchAnno">[B, 4] ground truth in the search crop, normalised xywh.</param>
    /// <param name="epoch">The 1-based trainer epoch (<c>data['epoch']</c>).</param>
    /// <param name="output">Receives the network output (the caller disposes it), or null.</param>
    public OSTrackLosses Compute(Tensor template, Tensor search, Tensor searchAnno, int epoch, Action<OSTrackOutput>? output = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(searchAnno);
        using var scope = NewDisposeScope();
        int batch = (int)template.shape[0];
        var mask = Model.Config.UsesCandidateElimination ? CeTemplateMask.Create(Model.Config, batch, template.device) : null;
        var prediction = Model.Forward(template, search, mask, KeepRate(epoch));
        var heatmap = CenterHeatmap.Generate(searchAnno, Model.Config.SearchSize, Model.Config.Stride).unsqueeze(1);
        var losses = Losses(prediction, searchAnno, heatmap);
        if (output is not null)
        {
            foreach (var t in new[] { prediction.PredBoxes, prediction.ScoreMap, prediction.SizeMap, prediction.OffsetMap, prediction.BackboneFeat })
                t.MoveToOuterDisposeScope();
            foreach (var r in prediction.RemovedIndexes) r?.MoveToOuterDisposeScope();
            output(prediction);
        }
        return Detach(losses);
    }

    /// <summary><c>compute_losses</c>: the losses of a network output against the search boxes [B, 4] (normalised xywh)
    /// and the heatmap [B, 1, F, F].</summary>
    public OSTrackLosses Losses(OSTrackOutput prediction, Tensor searchAnno, Tensor heatmap)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        using var scope = NewDisposeScope();
        var predBoxes = prediction.PredBoxes;
        if (predBoxes.isnan().any().item<bool>())
            throw new InvalidOperationException("the network predicted NaN boxes");
        long queries = predBoxes.shape[1];
        var predXyxy = CxcywhToXyxy(predBoxes).view(-1, 4);
        var gtXyxy = XywhToXyxy(searchAnno).unsqueeze(1).repeat(1, queries, 1).view(-1, 4).clamp(0.0, 1.0);
        Tensor giou, iou;
        if (GiouLoss.AreValid(predXyxy) && GiouLoss.AreValid(gtXyxy))
            (giou, iou) = GiouLoss.Compute(predXyxy, gtXyxy);
        else
        {
            giou = tensor(0f, device: predXyxy.device);
            iou = tensor(0f, device: predXyxy.device);
        }
        var l1 = nn.functional.l1_loss(predXyxy, gtXyxy);
        var location = FocalLoss.Compute(prediction.ScoreMap, heatmap);
        var total = Weights.Giou * giou + Weights.L1 * l1 + Weights.Focal * location;
        var result = new OSTrackLosses(total, giou, l1, location, iou, Weights);
        return Detach(result);
    }

    /// <summary>(cx, cy, w, h) → (x1, y1, x2, y2) on the last dimension (<c>box_cxcywh_to_xyxy</c>).</summary>
    public static Tensor CxcywhToXyxy(Tensor b)
    {
        var (cx, cy, w, h) = (b.select(-1, 0), b.select(-1, 1), b.select(-1, 2), b.select(-1, 3));
        return stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], -1);
    }

    /// <summary>(x, y, w, h) → (x1, y1, x2, y2) on the last dimension (<c>box_xywh_to_xyxy</c>).</summary>
    public static Tensor XywhToXyxy(Tensor b)
    {
        var (x, y, w, h) = (b.select(-1, 0), b.select(-1, 1), b.select(-1, 2), b.select(-1, 3));
        return stack([x, y, x + w, y + h], -1);
    }

    private static OSTrackLosses Detach(OSTrackLosses losses)
    {
        losses.Total.MoveToOuterDisposeScope();
        losses.Giou.MoveToOuterDisposeScope();
        losses.L1.MoveToOuterDisposeScope();
        losses.Location.MoveToOuterDisposeScope();
        losses.Iou.MoveToOuterDisposeScope();
        return losses;
    }
}
