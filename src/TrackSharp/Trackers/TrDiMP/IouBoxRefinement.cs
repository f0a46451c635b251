using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// ATOM/DiMP box refinement with the IoUNet (<c>refine_target_box</c> with <c>box_refinement_space = 'relative'</c>):
/// the initial box plus jittered boxes, gradient <b>ascent</b> of the summed predicted IoU in the relative box space
/// <c>[cx/w0, cy/h0, log w, log h]</c> (w0, h0 of the first box), then degenerate boxes removed and the mean of the
/// top-k boxes by IoU. Boxes are xywh in the sample (crop) frame.
/// </summary>
public static class IouBoxRefinement
{
    /// <summary>Refinement settings of the tracker parameter file.</summary>
    public sealed record Settings(int Iterations = 10, double StepLength = 2.5e-3, double StepDecay = 1.0, double BoxJitterPos = 0.1,
        double BoxJitterSz = 0.5, double MaximalAspectRatio = 6, int TopK = 3);

    /// <summary>The boxes of every iteration and the result.</summary>
    public sealed record Trace(Tensor InitBoxes, IReadOnlyList<Tensor> IterBoxes, IReadOnlyList<Tensor> IterPred, Tensor OutBoxes, Tensor OutPred);

    /// <summary>
    /// Initial boxes: <paramref name="initBox"/> (4) followed by one jittered box per row of <paramref name="uniforms"/>
    /// (n, 4) in [0, 1): offsets <c>(u − 0.5)·sqrt(w·h)·[pos, pos, sz, sz]</c>, sizes clamped to ≥ min(w, h)/3,
    /// centred parametrisation.
    /// </summary>
    public static Tensor InitialBoxes(Tensor initBox, Tensor uniforms, Settings s)
    {
        using var scope = NewDisposeScope();
        var square = initBox[2..].prod().sqrt();
        var factor = square * tensor(new float[] { (float)s.BoxJitterPos, (float)s.BoxJitterPos, (float)s.BoxJitterSz, (float)s.BoxJitterSz });
        var minimalEdge = initBox[2..].min() / 3;
        var rand = (uniforms - 0.5) * factor;
        var size = (initBox[2..] + rand[.., 2..]).clamp_min(minimalEdge.item<float>());
        var center = (initBox[..2] + initBox[2..] / 2) + rand[.., ..2];
        var boxes = cat([initBox.view(1, 4), cat([center - size / 2, size], 1)], 0);
        return boxes.MoveToOuterDisposeScope();
    }

    /// <summary>Gradient ascent of the IoU prediction (the returned IoUs belong to the boxes before the last step).</summary>
    public static Trace Optimize(AtomIoUNet iouNet, Tensor mod3, Tensor mod4, Tensor c3, Tensor c4, Tensor initBoxes, Settings s)
    {
        var iterBoxes = new List<Tensor>();
        var iterPred = new List<Tensor>();
        using var scope = NewDisposeScope();
        var boxes = initBoxes.view(1, -1, 4);
        var szNorm = boxes[.., ..1, 2..].clone();
        var rel = cat([(boxes[TensorIndex.Ellipsis, ..2] + 0.5 * boxes[TensorIndex.Ellipsis, 2..]) / szNorm, boxes[TensorIndex.Ellipsis, 2..].log()], -1);
        double step = s.StepLength;
        Tensor? outputs = null;
        for (int i = 0; i < s.Iterations; i++)
        {
            using var grad = enable_grad();
            var relIn = rel.detach().clone().requires_grad_(true);
            var rect = RelToRect(relIn, szNorm);
            outputs = iouNet.PredictIou(mod3, mod4, c3, c4, rect);
            // Gradient w.r.t. the boxes only (the network's parameters get none).
            var boxGrad = autograd.grad([outputs], [relIn], [ones_like(outputs)])[0];
            iterBoxes.Add(rect.detach().view(-1, 4).MoveToOuterDisposeScope());
            iterPred.Add(outputs.detach().view(-1).MoveToOuterDisposeScope());
            rel = (relIn + step * boxGrad).detach();
            step *= s.StepDecay;
        }
        var outBoxes = RelToRect(rel, szNorm).view(-1, 4).MoveToOuterDisposeScope();
        var outPred = (outputs is null ? zeros(boxes.shape[1]) : outputs.detach().view(-1)).MoveToOuterDisposeScope();
        return new Trace(initBoxes, iterBoxes, iterPred, outBoxes, outPred);
    }

    /// <summary>
    /// The refined box: widths/heights clamped to ≥ 1, boxes with aspect ratio outside (1/max, max) removed, mean of the
    /// top-k by IoU. Null when no box is left (the tracker then keeps its state).
    /// </summary>
    public static Tensor? Select(Tensor outBoxes, Tensor outPred, Settings s)
    {
        using var scope = NewDisposeScope();
        var boxes = outBoxes.clone();
        boxes[.., 2..] = boxes[.., 2..].clamp_min(1);
        var aspect = boxes[.., 2] / boxes[.., 3];
        var keep = (aspect < s.MaximalAspectRatio).logical_and(aspect > 1 / s.MaximalAspectRatio);
        var kept = boxes[keep];
        var iou = outPred[keep];
        if (kept.shape[0] == 0) return null;
        int k = (int)Math.Min(s.TopK, kept.shape[0]);
        var (_, inds) = iou.topk(k);
        return kept.index_select(0, inds).mean([0]).MoveToOuterDisposeScope();
    }

    private static Tensor RelToRect(Tensor rel, Tensor szNorm)
    {
        var sz = rel[TensorIndex.Ellipsis, 2..].exp();
        var c = rel[TensorIndex.Ellipsis, ..2] * szNorm;
        return cat([c - 0.5 * sz, sz], -1);
    }
}
