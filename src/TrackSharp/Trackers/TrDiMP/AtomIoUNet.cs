using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// ATOM's IoU predictor (<c>ltr/models/bbreg/atom_iou_net.py</c>) as TrDiMP uses it. The reference branch pools the
/// target box from the block-3 (1/8) and block-4 (1/16) features of the first frame into two <b>modulation vectors</b>;
/// the test branch computes IoU features once per frame; a proposal's IoU is predicted from PrRoIPool (5×5 at 1/8,
/// 3×3 at 1/16) of the modulated test features. Boxes are xywh in the image (sample) frame. The proposal boxes are
/// differentiable, which the tracker's box refinement uses. Field names equal the reference's parameter names.
/// </summary>
public sealed class AtomIoUNet : Module
{
#pragma warning disable IDE1006
    private readonly Sequential conv3_1r;
    private readonly Sequential conv3_1t;
    private readonly Sequential conv3_2t;
    private readonly Sequential fc3_1r;
    private readonly Sequential conv4_1r;
    private readonly Sequential conv4_1t;
    private readonly Sequential conv4_2t;
    private readonly Sequential fc34_3r;
    private readonly Sequential fc34_4r;
    private readonly LinearBlock fc3_rt;
    private readonly LinearBlock fc4_rt;
    private readonly Linear iou_predictor;
#pragma warning restore IDE1006

    /// <param name="inputDim">channels of the two backbone layers (layer2, layer3)</param>
    /// <param name="predInputDim">channels entering the prediction network</param>
    /// <param name="predInterDim">widths of the two fully connected branches</param>
    public AtomIoUNet((int, int) inputDim, (int, int) predInputDim, (int, int) predInterDim) : base(nameof(AtomIoUNet))
    {
        conv3_1r = ConvBlock(inputDim.Item1, 128, 3, 1);
        conv3_1t = ConvBlock(inputDim.Item1, 256, 3, 1);
        conv3_2t = ConvBlock(256, predInputDim.Item1, 3, 1);
        fc3_1r = ConvBlock(128, 256, 3, 0);
        conv4_1r = ConvBlock(inputDim.Item2, 256, 3, 1);
        conv4_1t = ConvBlock(inputDim.Item2, 256, 3, 1);
        conv4_2t = ConvBlock(256, predInputDim.Item2, 3, 1);
        fc34_3r = ConvBlock(256 + 256, predInputDim.Item1, 1, 0);
        fc34_4r = ConvBlock(256 + 256, predInputDim.Item2, 1, 0);
        fc3_rt = new LinearBlock(predInputDim.Item1, predInterDim.Item1, 5);
        fc4_rt = new LinearBlock(predInputDim.Item2, predInterDim.Item2, 3);
        iou_predictor = Linear(predInterDim.Item1 + predInterDim.Item2, 1);
        RegisterComponents();
    }

    /// <summary>conv (with bias) + BN + ReLU, the reference's <c>conv</c> helper.</summary>
    private static Sequential ConvBlock(int inPlanes, int outPlanes, int kernel, int padding)
        => Sequential(Conv2d(inPlanes, outPlanes, kernel, padding: padding, bias: true), BatchNorm2d(outPlanes), ReLU());

    /// <summary>Modulation vectors (batch, predInputDim.i, 1, 1) of the target boxes <paramref name="bb"/> (batch, 4) xywh
    /// on the reference features (layer2, layer3).</summary>
    public (Tensor Mod3, Tensor Mod4) GetModulation(Tensor feat3, Tensor feat4, Tensor bb)
    {
        using var scope = NewDisposeScope();
        var c3 = conv3_1r.call(feat3);
        var batchIndex = arange(bb.shape[0], dtype: ScalarType.Float32, device: bb.device).view(-1, 1);
        var roi = cat([batchIndex, bb[.., ..2], bb[.., ..2] + bb[.., 2..4]], 1);
        var roi3 = PrRoIPool.Pool(c3, roi, 3, 3, 1.0 / 8);
        var c4 = conv4_1r.call(feat4);
        var roi4 = PrRoIPool.Pool(c4, roi, 1, 1, 1.0 / 16);
        var fc3 = fc3_1r.call(roi3);
        var fc34 = cat([fc3, roi4], 1);
        return (fc34_3r.call(fc34).MoveToOuterDisposeScope(), fc34_4r.call(fc34).MoveToOuterDisposeScope());
    }

    /// <summary>IoU features of the test frames (layer2, layer3) → (c3, c4).</summary>
    public (Tensor C3, Tensor C4) GetIouFeat(Tensor feat3, Tensor feat4)
    {
        using var scope = NewDisposeScope();
        var c3 = conv3_2t.call(conv3_1t.call(feat3));
        var c4 = conv4_2t.call(conv4_1t.call(feat4));
        return (c3.MoveToOuterDisposeScope(), c4.MoveToOuterDisposeScope());
    }

    /// <summary>Predicted IoU (batch, proposals) of <paramref name="proposals"/> (batch, proposals, 4) xywh, given the
    /// modulation vectors (batch, D[, 1, 1]) and the IoU features (batch, D, H, W).</summary>
    public Tensor PredictIou(Tensor mod3, Tensor mod4, Tensor c3, Tensor c4, Tensor proposals)
    {
        using var scope = NewDisposeScope();
        long batch = c3.shape[0];
        var c3Att = c3 * mod3.reshape(batch, -1, 1, 1);
        var c4Att = c4 * mod4.reshape(batch, -1, 1, 1);
        long perBatch = proposals.shape[1];
        var xyxy = cat([proposals[.., .., ..2], proposals[.., .., ..2] + proposals[.., .., 2..4]], 2);
        var batchIndex = arange(batch, dtype: ScalarType.Float32, device: c3.device).reshape(batch, 1, 1).expand(-1, perBatch, -1);
        var rois = cat([batchIndex, xyxy], 2).reshape(-1, 5);
        var roi3 = PrRoIPool.Pool(c3Att, rois, 5, 5, 1.0 / 8);
        var roi4 = PrRoIPool.Pool(c4Att, rois, 3, 3, 1.0 / 16);
        var fc34 = cat([fc3_rt.call(roi3), fc4_rt.call(roi4)], 1);
        return iou_predictor.call(fc34).reshape(batch, perBatch).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Training forward: modulation from the first reference frame, IoU of the test proposals.
    /// feat*1 (images, sequences, C, H, W) of the reference frames, feat*2 of the test frames, bb1 (images, sequences, 4),
    /// proposals2 (images, sequences, P, 4) → (images, sequences, P).
    /// </summary>
    public Tensor Forward(Tensor feat3Ref, Tensor feat4Ref, Tensor feat3Test, Tensor feat4Test, Tensor bb1, Tensor proposals2)
    {
        using var scope = NewDisposeScope();
        long numImages = proposals2.shape[0], numSequences = proposals2.shape[1];
        Tensor First(Tensor f) => f.dim() == 5 ? f[0] : f.reshape(-1, numSequences, f.shape[^3], f.shape[^2], f.shape[^1])[0];
        var (m3, m4) = GetModulation(First(feat3Ref), First(feat4Ref), bb1[0]);
        Tensor Flat(Tensor f) => f.dim() == 5 ? f.reshape(-1, f.shape[^3], f.shape[^2], f.shape[^1]) : f;
        var (c3, c4) = GetIouFeat(Flat(feat3Test), Flat(feat4Test));
        Tensor Rep(Tensor m) => m.reshape(1, numSequences, -1).repeat(numImages, 1, 1).reshape(numSequences * numImages, -1);
        var iou = PredictIou(Rep(m3), Rep(m4), c3, c4, proposals2.reshape(numSequences * numImages, -1, 4));
        return iou.reshape(numImages, numSequences, -1).MoveToOuterDisposeScope();
    }
}
