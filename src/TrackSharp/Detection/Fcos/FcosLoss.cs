using static TorchSharp.torch;

namespace TrackSharp.Detection.Fcos;

/// <summary>The three FCOS losses (scalars, with autograd) and the normalisers the reference used.</summary>
public sealed class FcosLosses : IDisposable
{
    internal FcosLosses(Tensor cls, Tensor reg, Tensor ctr, int numPos, float sumCenternessTargets, int[] posInds,
        int[] labelsFlatten, float[] regTargetsPos, float[] centernessTargetsPos)
    {
        LossCls = cls; LossReg = reg; LossCenterness = ctr; NumPos = numPos; SumCenternessTargets = sumCenternessTargets;
        PositiveIndices = posInds; LabelsFlatten = labelsFlatten; RegTargetsPositive = regTargetsPos; CenternessTargetsPositive = centernessTargetsPos;
    }

    public Tensor LossCls { get; }
    public Tensor LossReg { get; }
    public Tensor LossCenterness { get; }
    /// <summary><c>loss_cls + loss_reg + loss_centerness</c> (a new tensor each call).</summary>
    public Tensor Total() => LossCls + LossReg + LossCenterness;
    public int NumPos { get; }
    public float SumCenternessTargets { get; }
    /// <summary>Positive rows of the level-first flattening (levels P3..P7, per level images in order, row-major).</summary>
    public int[] PositiveIndices { get; }
    public int[] LabelsFlatten { get; }
    /// <summary>(l, t, r, b) of the positives, 4 per positive.</summary>
    public float[] RegTargetsPositive { get; }
    public float[] CenternessTargetsPositive { get; }

    public void Dispose()
    {
        LossCls.Dispose(); LossReg.Dispose(); LossCenterness.Dispose();
    }
}

/// <summary>
/// FCOS's <c>FCOSLossComputation</c> on one process (one "GPU"): sigmoid focal loss over all points and classes
/// (column c-1 is class c) divided by <c>max(num_pos, 1)</c>; IoU (<c>-log iou</c>) or GIoU (<c>1 - giou</c>) loss on
/// the positives' (l, t, r, b) with the <c>+1</c> smoothed IoU, weighted by the centerness targets and divided by
/// their sum; centerness <c>BCEWithLogits(sum)</c> on the positives divided by <c>max(num_pos, 1)</c>. The focal loss
/// uses <c>logsigmoid</c> for <c>log p</c> and <c>log(1 - p)</c> (the reference's CPU path takes <c>log(sigmoid)</c>,
/// which only differs where it overflows to -inf for |logit| above ~88).
/// </summary>
public sealed class FcosLoss
{
    public FcosLoss(float alpha = 0.25f, float gamma = 2f, string iouLossType = "iou")
    {
        if (iouLossType is not ("iou" or "giou" or "linear_iou"))
            throw new ArgumentException($"IoU loss type '{iouLossType}' is not one of iou, linear_iou, giou", nameof(iouLossType));
        Alpha = alpha; Gamma = gamma; IouLossType = iouLossType;
    }

    public static FcosLoss FromOptions(FcosModelOptions o) => new(o.FocalAlpha, o.FocalGamma, o.IouLossType);

    public float Alpha { get; }
    public float Gamma { get; }
    public string IouLossType { get; }

    /// <summary>
    /// The losses of a batch: <paramref name="head"/> holds the train-mode outputs (regression in stride units with
    /// NORM_REG_TARGETS, else pixels, matching the targets), <paramref name="targets"/> one entry per image.
    /// </summary>
    public FcosLosses Compute(FcosHeadOutput head, IReadOnlyList<FcosImageTargets> targets)
    {
        int levels = head.BoxCls.Length;
        long n = head.BoxCls[0].shape[0], c = head.BoxCls[0].shape[1];
        if (targets.Count != n) throw new ArgumentException($"{targets.Count} target sets for a batch of {n}");
        var labels = new List<int>();
        var regT = new List<float>();
        for (int l = 0; l < levels; l++)
            foreach (var t in targets)
            {
                labels.AddRange(t.Labels[l]);
                regT.AddRange(t.RegTargets[l]);
            }
        var pos = Enumerable.Range(0, labels.Count).Where(i => labels[i] > 0).ToArray();
        var regPos = new float[4 * pos.Length];
        var ctrPos = new float[pos.Length];
        for (int k = 0; k < pos.Length; k++)
        {
            for (int j = 0; j < 4; j++) regPos[4 * k + j] = regT[4 * pos[k] + j];
            ctrPos[k] = FcosTargetAssigner.Centerness(regPos[4 * k], regPos[4 * k + 1], regPos[4 * k + 2], regPos[4 * k + 3]);
        }

        using var scope = NewDisposeScope();
        var dev = head.BoxCls[0].device;
        var clsFlat = cat(head.BoxCls.Select(x => x.permute(0, 2, 3, 1).reshape(-1, c)).ToArray(), 0);
        var regFlat = cat(head.BoxRegression.Select(x => x.permute(0, 2, 3, 1).reshape(-1, 4)).ToArray(), 0);
        var ctrFlat = cat(head.Centerness.Select(x => x.reshape(-1)).ToArray(), 0);
        if (clsFlat.shape[0] != labels.Count)
            throw new ArgumentException($"the head has {clsFlat.shape[0]} points, the targets {labels.Count}");

        double numPosAvg = Math.Max(pos.Length, 1.0);
        var labelT = tensor(labels.ToArray(), device: dev);
        var lossCls = FocalLoss(clsFlat, labelT) / numPosAvg;
        Tensor lossReg, lossCtr;
        float sumCtr = 0;
        if (pos.Length > 0)
        {
            var posT = tensor(pos.Select(i => (long)i).ToArray(), device: dev);
            var regPred = regFlat.index_select(0, posT);
            var regTarget = tensor(regPos, new long[] { pos.Length, 4 }, device: dev);
            var ctrTarget = tensor(ctrPos, device: dev);
            sumCtr = ctrTarget.sum().item<float>();
            lossReg = IouLoss(regPred, regTarget, ctrTarget) / (double)sumCtr;
            lossCtr = nn.functional.binary_cross_entropy_with_logits(ctrFlat.index_select(0, posT), ctrTarget,
                reduction: nn.Reduction.Sum) / numPosAvg;
        }
        else
        {
            lossReg = regFlat.sum();
            lossCtr = ctrFlat.sum();
        }
        return new FcosLosses(lossCls.MoveToOuterDisposeScope(), lossReg.MoveToOuterDisposeScope(), lossCtr.MoveToOuterDisposeScope(),
            pos.Length, sumCtr, pos, labels.ToArray(), regPos, ctrPos);
    }

    /// <summary>Summed sigmoid focal loss; <paramref name="labels"/> (P,) int with 0 = background, negative = ignore.</summary>
    public Tensor FocalLoss(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        long c = logits.shape[1];
        var classRange = arange(1, c + 1, dtype: labels.dtype, device: logits.device).unsqueeze(0);
        var t = labels.unsqueeze(1);
        var p = logits.sigmoid();
        var term1 = (1 - p).pow(Gamma) * nn.functional.logsigmoid(logits);
        var term2 = p.pow(Gamma) * nn.functional.logsigmoid(-logits);
        var isPos = t.eq(classRange).to_type(logits.dtype);
        var isNeg = t.ne(classRange).logical_and(t.ge(0)).to_type(logits.dtype);
        var loss = -isPos * term1 * Alpha - isNeg * term2 * (1 - Alpha);
        return loss.sum().MoveToOuterDisposeScope();
    }

    /// <summary>maskrcnn-benchmark / FCOS <c>IOULoss</c> on (l, t, r, b) distances, weighted by <paramref name="weight"/>
    /// when its sum is positive, summed.</summary>
    public Tensor IouLoss(Tensor pred, Tensor target, Tensor? weight)
    {
        using var scope = NewDisposeScope();
        var (pl, pt, pr, pb) = (pred[.., 0], pred[.., 1], pred[.., 2], pred[.., 3]);
        var (tl, tt, tr, tb) = (target[.., 0], target[.., 1], target[.., 2], target[.., 3]);
        var targetArea = (tl + tr) * (tt + tb);
        var predArea = (pl + pr) * (pt + pb);
        var wInter = minimum(pl, tl) + minimum(pr, tr);
        var hInter = minimum(pb, tb) + minimum(pt, tt);
        var gW = maximum(pl, tl) + maximum(pr, tr);
        var gH = maximum(pb, tb) + maximum(pt, tt);
        var enclosing = gW * gH + 1e-7;
        var inter = wInter * hInter;
        var union = targetArea + predArea - inter;
        var ious = (inter + 1.0) / (union + 1.0);
        Tensor losses = IouLossType switch
        {
            "iou" => -ious.log(),
            "linear_iou" => 1 - ious,
            _ => 1 - (ious - (enclosing - union) / enclosing),
        };
        var r = weight is not null && weight.sum().item<float>() > 0 ? (losses * weight).sum() : losses.sum();
        return r.MoveToOuterDisposeScope();
    }
}
