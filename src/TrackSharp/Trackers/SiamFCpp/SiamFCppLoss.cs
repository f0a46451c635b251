using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>Which classification loss SiamFC++ trains with (videoanalyst's loss module names).</summary>
public enum SiamFCppClsLoss
{
    /// <summary><c>FocalLoss</c>: the numerically stable sigmoid focal loss (BCE-with-logits based).</summary>
    FocalLoss,

    /// <summary><c>SigmoidCrossEntropyRetina</c>: the same focal loss written with <c>log(max(p, FLT_MIN))</c>.</summary>
    SigmoidCrossEntropyRetina,
}

/// <summary>
/// Hyper-parameters of the SiamFC++ losses, with the keys of videoanalyst's <c>losses</c> config section.
/// Defaults are the published training config (<c>siamfcpp_alexnet-trn.yaml</c>): focal loss alpha 0.25,
/// gamma 2, weights cls 1, ctr 1, reg 3, background 0, ignore label −1.
/// </summary>
public sealed record SiamFCppLossConfig
{
    public SiamFCppClsLoss ClsLoss { get; init; } = SiamFCppClsLoss.FocalLoss;
    public double Alpha { get; init; } = 0.25;
    public double Gamma { get; init; } = 2.0;
    public double ClsWeight { get; init; } = 1.0;
    public double CtrWeight { get; init; } = 1.0;
    public double RegWeight { get; init; } = 3.0;

    /// <summary>Label of background points (cls) / of points without a centerness target (ctr).</summary>
    public float Background { get; init; } = 0f;

    /// <summary>Label of ignored points (the negative pair's background).</summary>
    public float IgnoreLabel { get; init; } = -1f;

    /// <summary>The published configuration.</summary>
    public static SiamFCppLossConfig Default { get; } = new();
}

/// <summary>
/// One training step's losses. Every value is a scalar float32 tensor already multiplied by its weight;
/// <see cref="Total"/> = cls + ctr + reg (the trainer's plain sum). <see cref="Iou"/> is the detached
/// masked mean IoU of the positive points (the reference's <c>extras/reg/iou</c>).
/// </summary>
public sealed record SiamFCppLossOutput(Tensor Cls, Tensor Ctr, Tensor Reg, Tensor Total, Tensor Iou) : IDisposable
{
    public void Dispose()
    {
        Cls.Dispose();
        Ctr.Dispose();
        Reg.Dispose();
        Total.Dispose();
        Iou.Dispose();
    }
}

/// <summary>
/// The SiamFC++ training losses of videoanalyst (<c>FocalLoss</c> / <c>SigmoidCrossEntropyRetina</c>,
/// <c>SigmoidCrossEntropyCenterness</c>, <c>IOULoss</c>) on the head's raw outputs and the
/// <see cref="TrackSharp.Data.Targets.DenseboxTarget"/> labels. Shapes: logits and cls/ctr targets [B, N, 1],
/// boxes [B, N, 4] as absolute (x0, y0, x1, y1) crop pixels. All functions are differentiable in the
/// predictions (TorchSharp autograd) and use the reference's formulas term by term so that gradients agree,
/// including at ties of min/max.
/// </summary>
public static class SiamFCppLoss
{
    /// <summary>float32's smallest normal number (<c>np.finfo(np.float32).tiny</c>), the reference's log floor.</summary>
    public const float FloatTiny = 1.17549435e-38f;

    /// <summary>
    /// All three losses and their sum for one batch: <paramref name="pred"/> from
    /// <see cref="SiamFCppModel.forward"/> (ClsLogit, CtrLogit, Bbox).
    /// </summary>
    public static SiamFCppLossOutput Compute(DenseboxHeadOutput pred, Tensor clsGt, Tensor ctrGt, Tensor boxGt,
        SiamFCppLossConfig? config = null) =>
        Compute(pred.ClsLogit, pred.CtrLogit, pred.Bbox, clsGt, ctrGt, boxGt, config);

    /// <summary>All three losses and their sum for one batch (raw predictions and targets).</summary>
    public static SiamFCppLossOutput Compute(Tensor clsLogit, Tensor ctrLogit, Tensor boxPred,
        Tensor clsGt, Tensor ctrGt, Tensor boxGt, SiamFCppLossConfig? config = null)
    {
        var c = config ?? SiamFCppLossConfig.Default;
        using var scope = NewDisposeScope();
        var cls = c.ClsLoss == SiamFCppClsLoss.FocalLoss
            ? FocalLoss(clsLogit, clsGt, c.Alpha, c.Gamma, c.ClsWeight, c.IgnoreLabel)
            : SigmoidCrossEntropyRetina(clsLogit, clsGt, c.Alpha, c.Gamma, c.ClsWeight, c.IgnoreLabel);
        var ctr = CenternessLoss(ctrLogit, ctrGt, c.CtrWeight, c.Background);
        var (reg, iou) = IouLoss(boxPred, boxGt, clsGt, c.RegWeight, c.Background, c.IgnoreLabel);
        var total = cls + ctr + reg;
        var output = new SiamFCppLossOutput(cls, ctr, reg, total, iou);
        foreach (var t in new[] { cls, ctr, reg, total, iou }) t.MoveToOuterDisposeScope();
        return output;
    }

    /// <summary>
    /// One-hot targets of the classes 1..C for labels [B, N, 1] (C = <paramref name="classes"/>); ignored
    /// points (label == ignoreLabel) count as label 0 here and are masked out by the caller.
    /// Returns (targets [B, N, C], valid mask [B, N]).
    /// </summary>
    private static (Tensor Targets, Tensor Valid) OneHot(Tensor label, long classes, float ignoreLabel, ScalarType dtype)
    {
        var valid = label.ne(ignoreLabel).to_type(dtype);
        var vlabel = (label * valid).to_type(ScalarType.Int64); // [B, N, 1]
        var classIds = arange(1, classes + 1, dtype: ScalarType.Int64, device: label.device).view(1, 1, classes);
        var targets = vlabel.eq(classIds).to_type(dtype);
        return (targets, valid.squeeze(2));
    }

    /// <summary>
    /// videoanalyst <c>FocalLoss</c> (fvcore's <c>sigmoid_focal_loss</c>): per point and class
    /// <c>BCEWithLogits(x, t) · (1 − p_t)^gamma · alpha_t</c> with <c>p = sigmoid(x)</c>,
    /// <c>p_t = p·t + (1−p)(1−t)</c>, <c>alpha_t = alpha·t + (1−alpha)(1−t)</c> (no alpha term when alpha &lt; 0),
    /// summed over all non-ignored points, divided by <c>max(#(label &gt; 0), 1)</c>, times <paramref name="weight"/>.
    /// </summary>
    /// <param name="logits">[B, N, C] classification logits.</param>
    /// <param name="label">[B, N, 1] labels: 0 background, 1..C class, <paramref name="ignoreLabel"/> ignored.</param>
    /// <param name="alpha">Positive-class balance (negative disables the alpha term).</param>
    /// <param name="gamma">Focusing exponent.</param>
    /// <param name="weight">Loss weight (the config's weight for the classification loss).</param>
    /// <param name="ignoreLabel">Label value of points left out of the loss.</param>
    public static Tensor FocalLoss(Tensor logits, Tensor label, double alpha = 0.25, double gamma = 2.0,
        double weight = 1.0, float ignoreLabel = -1f)
    {
        using var scope = NewDisposeScope();
        var (t, valid) = OneHot(label, logits.shape[2], ignoreLabel, logits.dtype);
        var p = sigmoid(logits);
        var ce = nn.functional.binary_cross_entropy_with_logits(logits, t, reduction: nn.Reduction.None);
        var pT = p * t + (1 - p) * (1 - t);
        var loss = ce * (1 - pT).pow(gamma);
        if (alpha >= 0)
        {
            var alphaT = alpha * t + (1 - alpha) * (1 - t);
            loss = alphaT * loss;
        }
        return Normalise((loss.sum(2) * valid).sum(), label, weight).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// videoanalyst <c>SigmoidCrossEntropyRetina</c>: <c>−[alpha·(1−p)^gamma·t·log(max(p, tiny))
    /// + (1−alpha)·p^gamma·(1−t)·log(max(1−p, tiny))]</c>, summed over non-ignored points, divided by
    /// <c>max(#(label &gt; 0), 1)</c>, times <paramref name="weight"/>.
    /// </summary>
    public static Tensor SigmoidCrossEntropyRetina(Tensor logits, Tensor label, double alpha = 0.25, double gamma = 2.0,
        double weight = 1.0, float ignoreLabel = -1f)
    {
        using var scope = NewDisposeScope();
        var (t, valid) = OneHot(label, logits.shape[2], ignoreLabel, logits.dtype);
        var p = sigmoid(logits);
        var tiny = tensor(FloatTiny, dtype: logits.dtype, device: logits.device);
        var pos = (1 - p).pow(gamma) * t * log(maximum(p, tiny));
        var neg = p.pow(gamma) * (1 - t) * log(maximum(1 - p, tiny));
        var loss = -(alpha * pos + (1 - alpha) * neg);
        return Normalise((loss.sum(2) * valid).sum(), label, weight).MoveToOuterDisposeScope();
    }

    private static Tensor Normalise(Tensor sum, Tensor label, double weight)
    {
        var positives = label.gt(0).to_type(sum.dtype).sum();
        return sum / maximum(positives, ones_like(positives)) * weight;
    }

    /// <summary>
    /// videoanalyst <c>SigmoidCrossEntropyCenterness</c>: on points whose target is not
    /// <paramref name="background"/> (0), <c>BCEWithLogits(x, c) − H(c)</c> with the binary entropy
    /// <c>H(c) = −c·log c − (1−c)·log(1−c)</c> (detached; 0·log 0 = 0), so the loss is 0 at
    /// <c>x = logit(c)</c>. BCE is written as <c>x·[x ≥ 0] − x·c + log(1 + exp(−|x|))</c> like the reference.
    /// Sum over those points / max(count, 1), times <paramref name="weight"/>.
    /// </summary>
    /// <param name="logits">[B, N, 1] centerness logits.</param>
    /// <param name="target">[B, N, 1] centerness targets in [0, 1].</param>
    /// <param name="weight">Loss weight (the config's weight for the centerness loss).</param>
    /// <param name="background">Target value of points left out of the loss.</param>
    public static Tensor CenternessLoss(Tensor logits, Tensor target, double weight = 1.0, float background = 0f)
    {
        using var scope = NewDisposeScope();
        var mask = target.ne(background).to_type(logits.dtype);
        var notNeg = logits.ge(0).to_type(logits.dtype);
        var bce = (logits * notNeg - logits * target + log(1 + exp(-logits.abs()))) * mask;
        Tensor entropy;
        using (no_grad())
        {
            var c = target.detach();
            entropy = -(xlogy(c, c) + xlogy(1 - c, 1 - c)) * mask;
        }
        var loss = bce - entropy;
        var count = mask.sum();
        return (loss.sum() / maximum(count, ones_like(count)) * weight).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// videoanalyst <c>IOULoss</c> on the points whose cls label is neither background nor ignored:
    /// areas and intersection with the +1 pixel convention (<c>|x1 − x0 + 1|·|y1 − y0 + 1|</c>, intersection
    /// sides <c>max(min(x1) − max(x0) + 1, 0)</c>), <c>iou = max(inter/union, 0)</c>, loss
    /// <c>−log(max(iou, tiny))</c>; sum / max(count, 1) times <paramref name="weight"/>. Also returns the
    /// detached masked mean IoU.
    /// </summary>
    /// <param name="pred">[B, N, 4] predicted boxes (x0, y0, x1, y1).</param>
    /// <param name="gt">[B, N, 4] target boxes.</param>
    /// <param name="clsLabel">[B, N, 1] cls labels (selects the positive points).</param>
    /// <param name="weight">Loss weight (the config's weight for the box loss).</param>
    /// <param name="background">Label value of background points.</param>
    /// <param name="ignoreLabel">Label value of ignored points.</param>
    public static (Tensor Loss, Tensor Iou) IouLoss(Tensor pred, Tensor gt, Tensor clsLabel, double weight = 3.0,
        float background = 0f, float ignoreLabel = -1f)
    {
        using var scope = NewDisposeScope();
        var mask = (clsLabel.ne(background).logical_and(clsLabel.ne(ignoreLabel))).to_type(pred.dtype).squeeze(2);
        Tensor P(int i) => pred.select(2, i);
        Tensor G(int i) => gt.select(2, i);
        var zero = zeros(1, dtype: pred.dtype, device: pred.device).squeeze();
        var tiny = tensor(FloatTiny, dtype: pred.dtype, device: pred.device);
        var areaGt = (G(2) - G(0) + 1).abs() * (G(3) - G(1) + 1).abs();
        var areaPred = (P(2) - P(0) + 1).abs() * (P(3) - P(1) + 1).abs();
        var iw = minimum(P(2), G(2)) - maximum(P(0), G(0)) + 1;
        var ih = minimum(P(3), G(3)) - maximum(P(1), G(1)) + 1;
        var inter = maximum(iw, zero) * maximum(ih, zero);
        var union = areaPred + areaGt - inter;
        var iou = maximum(inter / union, zero);
        var loss = -log(maximum(iou, tiny));
        var count = mask.sum();
        var denom = maximum(count, ones_like(count));
        var total = (loss * mask).sum() / denom * weight;
        Tensor meanIou;
        using (no_grad()) meanIou = (iou.detach() * mask).sum() / denom;
        return (total.MoveToOuterDisposeScope(), meanIou.MoveToOuterDisposeScope());
    }
}
