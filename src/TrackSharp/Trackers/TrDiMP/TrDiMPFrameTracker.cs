using TrackSharp.Geometry;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// The per-frame path of pytracking's <c>TrDiMP.track</c> on a <see cref="TrDiMPTrackerState"/>: crop
/// (<c>sample_patch_multiscale</c>, inside_major, max scale change 1.5), backbone, classification features, transformer
/// decoder against the memory, filter scores, <c>localize_advanced</c>, state update, IoUNet refinement, sample memory
/// and classifier update (hard negatives at once, else every <c>train_skipping</c> frames) and the transformer memory
/// update every <c>transformer_skipping</c> frames. Random draws of the refinement come from <see cref="Uniforms"/>.
/// </summary>
public sealed class TrDiMPFrameTracker
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    public TrDiMPFrameTracker(TrDiMPNet net, TrDiMPTrackerParams parameters, Func<long, long, Tensor>? uniforms = null, Generator? generator = null)
    {
        Net = net;
        Params = parameters;
        Uniforms = uniforms ?? ((r, c) => rand(r, c, generator: generator));
    }

    public TrDiMPNet Net { get; }
    public TrDiMPTrackerParams Params { get; }

    /// <summary>Source of the (rows, cols) uniform draws in [0, 1) (pytracking's <c>torch.rand</c>).</summary>
    public Func<long, long, Tensor> Uniforms { get; set; }

    /// <summary>pytracking's network input: <c>((patch / 255) − mean) / std</c>.</summary>
    public static Tensor Normalize(Tensor patch)
    {
        var mean = tensor(Mean, device: patch.device).view(1, -1, 1, 1);
        var std = tensor(Std, device: patch.device).view(1, -1, 1, 1);
        return (patch / 255 - mean) / std;
    }

    /// <summary>Tracks one frame given as an RGB (1, 3, H, W) float tensor in 0..255.</summary>
    public TrDiMPFrameResult Track(TrDiMPTrackerState st, Tensor imageRgb)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var p = Params;
        int sz = p.ImageSampleSize;
        st.FrameNum++;

        // ------- localisation -------
        float sampleSize = st.TargetScale * sz;
        using var patch = SamplePatch.Extract(imageRgb, st.Pos.Y, st.Pos.X, sampleSize, sampleSize, sz, sz,
            PatchBorderMode.InsideMajor, p.PatchMaxScaleChange);
        var (l2, l3) = Net.ExtractBackboneFeatures(Normalize(patch.Patch));
        var xClf = Net.Classifier.ExtractClassificationFeat(l3);
        var (_, testX) = Net.Classifier.Transformer.Decoder.call(xClf.unsqueeze(0), st.TransformerMemory, st.TransformerLabel);
        var c = patch.Coord;
        var samplePos = ((float)c.Center.Y, (float)c.Center.X);
        float sampleScale = MathF.Sqrt(c.Height / (float)sz * (c.Width / (float)sz));
        var scoresRaw = TrDiMPClassifier.Classify(st.TargetFilter, testX);   // (1, 1, H, W)
        long rows = scoresRaw.shape[^2], cols = scoresRaw.shape[^1];
        var ksz = Net.Config.FilterSize;
        var loc = AdvancedLocalization.Localize(scoresRaw.contiguous().data<float>().ToArray(), (int)rows, (int)cols, st.Pos, st.TargetSz,
            samplePos, sampleScale, (sz, sz), (ksz, ksz), p.Localization);
        var newPos = (samplePos.Item1 + loc.TranslationY, samplePos.Item2 + loc.TranslationX);

        IouBoxRefinement.Trace? trace = null;
        if (loc.Flag != LocalizationFlag.NotFound)
        {
            bool updateScale = p.UpdateScaleWhenUncertain || loc.Flag != LocalizationFlag.Uncertain;
            UpdateState(st, newPos);
            trace = Refine(st, l2, l3, samplePos, sampleScale, updateScale);
        }

        // ------- update -------
        int? replaceIndex = null;
        bool update = loc.Flag is LocalizationFlag.Normal or LocalizationFlag.HardNegative;
        bool hardNegative = loc.Flag == LocalizationFlag.HardNegative;
        if (update)
        {
            var targetBox = IouNetBox(st.Pos, st.TargetSz, samplePos, sampleScale, sz);
            replaceIndex = UpdateClassifier(st, testX, targetBox, hardNegative);
            if ((st.FrameNum - 1) % p.TransformerSkipping == 0)
                UpdateTransformerMemory(st, xClf, targetBox);
        }
        if (loc.Flag != LocalizationFlag.NotFound && st.PosIouNet is { } pi) st.Pos = pi;

        var (h, w) = st.TargetSz;
        return new TrDiMPFrameResult(st.Pos.X - (w - 1) / 2, st.Pos.Y - (h - 1) / 2, w, h, loc, scoresRaw.MoveToOuterDisposeScope(),
            samplePos, sampleScale, trace is null ? null : Keep(trace), replaceIndex);
    }

    private static IouBoxRefinement.Trace Keep(IouBoxRefinement.Trace t)
    {
        t.InitBoxes.MoveToOuterDisposeScope();
        t.OutBoxes.MoveToOuterDisposeScope();
        t.OutPred.MoveToOuterDisposeScope();
        foreach (var x in t.IterBoxes.Concat(t.IterPred)) x.MoveToOuterDisposeScope();
        return t;
    }

    /// <summary><c>update_state(new_pos)</c> without scale: keep the centre within <c>(inside_ratio − 0.5)·size</c> of the image.</summary>
    private void UpdateState(TrDiMPTrackerState st, (float Y, float X) newPos)
    {
        float r = (float)(Params.TargetInsideRatio - 0.5);
        float offY = r * st.TargetSz.H, offX = r * st.TargetSz.W;
        st.Pos = (MathF.Max(MathF.Min(newPos.Y, st.ImageSz.H - offY), offY), MathF.Max(MathF.Min(newPos.X, st.ImageSz.W - offX), offX));
    }

    /// <summary>pytracking <c>get_iounet_box</c>: the target in the sample frame as xywh, centre at <c>(pos − sample_pos)/scale + (sz − 1)/2</c>.</summary>
    public static float[] IouNetBox((float Y, float X) pos, (float H, float W) size, (float Y, float X) samplePos, float sampleScale, int sampleSize)
    {
        float half = (sampleSize - 1) / 2f;
        float cy = (pos.Y - samplePos.Y) / sampleScale + half, cx = (pos.X - samplePos.X) / sampleScale + half;
        float h = size.H / sampleScale, w = size.W / sampleScale;
        return [cx - (w - 1) / 2, cy - (h - 1) / 2, w, h];
    }

    // State tensors outlive every dispose scope (the state owns them): DetachFromDisposeScope, not MoveToOuterDisposeScope.

    private IouBoxRefinement.Trace? Refine(TrDiMPTrackerState st, Tensor l2, Tensor l3, (float Y, float X) samplePos, float sampleScale, bool updateScale)
    {
        int sz = Params.ImageSampleSize;
        var initBox = tensor(IouNetBox(st.Pos, st.TargetSz, samplePos, sampleScale, sz));
        var (c3, c4) = Net.BoxRegressor.GetIouFeat(l2, l3);
        var boxes = Params.NumInitRandomBoxes > 0
            ? IouBoxRefinement.InitialBoxes(initBox, Uniforms(Params.NumInitRandomBoxes, 4), Params.Refinement)
            : initBox.view(1, 4);
        var trace = IouBoxRefinement.Optimize(Net.BoxRegressor, st.IouModulation3, st.IouModulation4, c3, c4, boxes, Params.Refinement);
        var box = IouBoxRefinement.Select(trace.OutBoxes, trace.OutPred, Params.Refinement);
        if (box is null) return trace;
        var b = box.data<float>().ToArray();
        float half = (sz - 1) / 2f;
        var newPos = ((b[1] + b[3] / 2 - half) * sampleScale + samplePos.Y, (b[0] + b[2] / 2 - half) * sampleScale + samplePos.X);
        var newSz = (b[3] * sampleScale, b[2] * sampleScale);
        float newScale = MathF.Sqrt(newSz.Item1 * newSz.Item2 / (st.BaseTargetSz.H * st.BaseTargetSz.W));
        st.PosIouNet = newPos;
        st.Pos = newPos;
        st.TargetSz = newSz;
        if (updateScale) st.TargetScale = newScale;
        return trace;
    }

    private int UpdateClassifier(TrDiMPTrackerState st, Tensor trainX, float[] targetBox, bool hardNegative)
    {
        var p = Params;
        double lr = hardNegative ? p.HardNegativeLearningRate : p.LearningRate;
        int slot = SampleWeights.Update(st.SampleWeights, st.PreviousReplaceIndex, st.NumStoredSamples, st.NumInitSamples, lr,
            p.InitSamplesMinimumWeight);
        st.PreviousReplaceIndex = slot;
        st.TrainingSamples[slot] = trainX[0];
        st.TargetBoxes[slot] = tensor(targetBox);
        st.NumStoredSamples++;

        int numIter = hardNegative ? p.NetOptHnIter : (st.FrameNum - 1) % p.TrainSkipping == 0 ? p.NetOptUpdateIter : 0;
        if (numIter > 0)
        {
            int n = Math.Min(st.NumStoredSamples, st.SampleWeights.Length);
            var samples = st.TrainingSamples[..n];
            var boxes = st.TargetBoxes[..n].clone();
            var weights = tensor(st.SampleWeights[..n]);
            var result = Net.Classifier.FilterOptimizer.Optimize(st.TargetFilter, samples, boxes, weights, numIter, computeLosses: false);
            var newFilter = result.Weights.detach().clone().DetachFromDisposeScope();
            foreach (var t in result.Iterates) t.Dispose();
            st.TargetFilter.Dispose();
            st.TargetFilter = newFilter;
        }
        return slot;
    }

    private void UpdateTransformerMemory(TrDiMPTrackerState st, Tensor xClf, float[] targetBox)
    {
        var p = Params;
        var label = GaussianLabel.Compute(tensor(targetBox).view(1, 4), 0.1, Net.Config.FilterSize, (int)xClf.shape[^1], p.ImageSampleSize, false)
            .unsqueeze(1);
        bool full = st.XClf.shape[0] >= p.TransformerMemorySize;
        var keepX = full ? st.XClf[..^1] : st.XClf;
        var keepL = full ? st.TransformerLabel[..^1] : st.TransformerLabel;
        var newX = cat([xClf, keepX], 0).DetachFromDisposeScope();
        var newL = cat([label, keepL], 0).DetachFromDisposeScope();
        var (memory, _) = Net.Classifier.Transformer.Encoder.call(newX.unsqueeze(1));
        st.XClf.Dispose();
        st.TransformerLabel.Dispose();
        st.TransformerMemory.Dispose();
        st.XClf = newX;
        st.TransformerLabel = newL;
        st.TransformerMemory = memory.DetachFromDisposeScope();
    }
}
