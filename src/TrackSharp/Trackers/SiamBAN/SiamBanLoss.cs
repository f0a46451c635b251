using TorchSharp;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamBAN;

/// <summary>The three loss values of one SiamBAN training step (reference <c>ModelBuilder.forward</c> outputs).</summary>
/// <param name="Total"><c>CLS_WEIGHT * Cls + LOC_WEIGHT * Loc</c> (scalar; call backward on it).</param>
/// <param name="Cls"><c>select_cross_entropy_loss</c> (scalar).</param>
/// <param name="Loc"><c>select_iou_loss</c> (scalar).</param>
/// <param name="ClsLogSoftmax">the (B,H,W,2) log-softmax scores the cls loss was taken on.</param>
public sealed record SiamBanLossOutput(Tensor Total, Tensor Cls, Tensor Loc, Tensor ClsLogSoftmax) : IDisposable
{
    public void Dispose()
    {
        Total.Dispose();
        Cls.Dispose();
        Loc.Dispose();
        ClsLogSoftmax.Dispose();
    }
}

/// <summary>
/// SiamBAN's training losses (reference <c>siamban/models/loss.py</c>, <c>iou_loss.py</c>,
/// <c>model_builder.py ModelBuilder.forward</c>), written from their definitions:
/// <list type="bullet">
/// <item>cls: logits (B,2,H,W) are permuted to (B,H,W,2) and log-softmaxed over the last axis; the positive cells
/// (label 1) and negative cells (label 0) each give a mean negative log-likelihood, and the loss is
/// <c>0.5*pos + 0.5*neg</c>. Ignored cells (-1) do not count. The reference selects cells with
/// <c>nonzero().squeeze()</c>, so a set of <b>exactly one</b> cell (0-dim index) or of none contributes
/// <b>0</b>, not its NLL; this port reproduces that.</item>
/// <item>loc: linear IoU loss on the positive cells of <c>loc.permute(0,2,3,1).reshape(-1,4)</c> (l,t,r,b
/// distances, already exp'ed): <c>iou = (inter+1)/(union+1)</c>, loss = <c>mean(1-iou)</c>. With no positive
/// cell the reference asserts; this port throws <see cref="InvalidOperationException"/>.</item>
/// </list>
/// </summary>
public static class SiamBanLoss
{
    /// <summary><c>log_softmax(cls.permute(0,2,3,1), dim=3)</c>: (B,2,H,W) logits → (B,H,W,2).</summary>
    public static Tensor ClsLogSoftmax(Tensor clsLogits)
    {
        if (clsLogits.dim() != 4 || clsLogits.shape[1] != 2)
            throw new ArgumentException($"cls logits must be (B,2,H,W), got [{string.Join(",", clsLogits.shape)}]");
        using var nhwc = clsLogits.permute(0, 2, 3, 1).contiguous();
        return nn.functional.log_softmax(nhwc, 3);
    }

    /// <summary>
    /// <c>select_cross_entropy_loss(pred, label)</c>: <paramref name="logSoftmax"/> (…,2) log-probabilities,
    /// <paramref name="labelCls"/> the matching integer labels (1 positive, 0 negative, other values ignored).
    /// Returns a scalar float tensor (0 when neither set has two or more cells).
    /// </summary>
    public static Tensor SelectCrossEntropyLoss(Tensor logSoftmax, Tensor labelCls)
    {
        using var scope = NewDisposeScope();
        var pred = logSoftmax.reshape(-1, 2);
        var label = labelCls.reshape(-1);
        if (pred.shape[0] != label.shape[0])
            throw new ArgumentException($"{pred.shape[0]} score cells but {label.shape[0]} labels");
        var pos = SelectedNll(pred, label, 1);
        var neg = SelectedNll(pred, label, 0);
        Tensor loss = (pos, neg) switch
        {
            (null, null) => zeros(new long[0], pred.dtype, pred.device),
            ({ } p, null) => p * 0.5,
            (null, { } n) => n * 0.5,
            ({ } p, { } n) => p * 0.5 + n * 0.5,
        };
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Mean NLL of the cells labelled <paramref name="cls"/>, or null where the reference drops the term (0 or 1 cell).</summary>
    private static Tensor? SelectedNll(Tensor pred, Tensor label, long cls)
    {
        var index = label.eq(cls).nonzero().reshape(-1);
        if (index.shape[0] <= 1) return null;
        var picked = pred.index_select(0, index).select(1, cls);
        return picked.mean().neg();
    }

    /// <summary>
    /// <c>select_iou_loss(pred_loc, label_loc, label_cls)</c>: <paramref name="loc"/> (B,4,H,W) predicted l,t,r,b,
    /// <paramref name="labelLoc"/> (B,4,H,W) target distances, <paramref name="labelCls"/> (B,H,W). Throws when no
    /// cell is positive (the reference asserts).
    /// </summary>
    public static Tensor SelectIouLoss(Tensor loc, Tensor labelLoc, Tensor labelCls)
    {
        using var scope = NewDisposeScope();
        var pos = labelCls.reshape(-1).eq(1).nonzero().reshape(-1);
        if (pos.shape[0] == 0)
            throw new InvalidOperationException("SiamBAN IoU loss: the batch has no positive cell (the reference asserts losses.numel() != 0)");
        var pred = loc.permute(0, 2, 3, 1).reshape(-1, 4).index_select(0, pos);
        var target = labelLoc.permute(0, 2, 3, 1).reshape(-1, 4).index_select(0, pos);
        return LinearIouLoss(pred, target).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Linear IoU loss of (N,4) l,t,r,b distance pairs: areas <c>(l+r)*(t+b)</c>, intersection
    /// <c>(min l + min r) * (min t + min b)</c>, <c>iou = (inter+1)/(union+1)</c>, mean of <c>1 - iou</c>.
    /// </summary>
    public static Tensor LinearIouLoss(Tensor pred, Tensor target)
    {
        using var scope = NewDisposeScope();
        Tensor P(int i) => pred.select(1, i);
        Tensor T(int i) => target.select(1, i);
        var targetArea = (T(0) + T(2)) * (T(1) + T(3));
        var predArea = (P(0) + P(2)) * (P(1) + P(3));
        var wInter = minimum(P(0), T(0)) + minimum(P(2), T(2));
        var hInter = minimum(P(3), T(3)) + minimum(P(1), T(1));
        var inter = wInter * hInter;
        var union = targetArea + predArea - inter;
        var iou = (inter + 1.0) / (union + 1.0);
        return (1.0 - iou).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The losses of <c>ModelBuilder.forward</c> from the model outputs: <paramref name="clsLogits"/> (B,2,H,W),
    /// <paramref name="loc"/> (B,4,H,W) exp'ed distances, labels as <c>PointTarget</c> makes them;
    /// total = <paramref name="clsWeight"/>·cls + <paramref name="locWeight"/>·loc (TRAIN.CLS_WEIGHT / LOC_WEIGHT).
    /// </summary>
    public static SiamBanLossOutput Compute(Tensor clsLogits, Tensor loc, Tensor labelCls, Tensor labelLoc,
        double clsWeight = 1.0, double locWeight = 1.0)
    {
        using var scope = NewDisposeScope();
        var logSoftmax = ClsLogSoftmax(clsLogits);
        var cls = SelectCrossEntropyLoss(logSoftmax, labelCls);
        var locLoss = SelectIouLoss(loc, labelLoc, labelCls);
        var total = cls * clsWeight + locLoss * locWeight;
        return new SiamBanLossOutput(total.MoveToOuterDisposeScope(), cls.MoveToOuterDisposeScope(),
            locLoss.MoveToOuterDisposeScope(), logSoftmax.MoveToOuterDisposeScope());
    }
}
