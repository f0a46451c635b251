using TrackSharp.Geometry;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>Intermediate values of <see cref="TrDiMPInitialization.Run"/> kept for inspection (owned by the caller).</summary>
public sealed record TrDiMPInitDiagnostics(IReadOnlyList<InitAugmentation> Transforms, Tensor Patches, Tensor ClfFeat, Tensor DecodedFeat,
    Tensor InitTargetBoxes, Tensor FilterInit, (float Y, float X) InitSamplePos, float TargetScale) : IDisposable
{
    public void Dispose()
    {
        Patches.Dispose();
        ClfFeat.Dispose();
        DecodedFeat.Dispose();
        InitTargetBoxes.Dispose();
        FilterInit.Dispose();
    }
}

/// <summary>
/// pytracking <c>TrDiMP.initialize</c>: target geometry, the augmented first-frame samples (expanded crop of
/// <c>expansion·352</c> at the target scale — a plain replicate crop, the init frame is not cropped 'inside_major' —
/// then Identity, relative shifts, flip, blurs and rotations with random shifts, and channel-dropout copies), the
/// transformer memory and labels, the decoded training samples, the initial filter with <c>net_opt_iter</c>
/// optimiser iterations, the sample memory and the IoUNet modulation.
/// </summary>
public static class TrDiMPInitialization
{
    /// <remarks>The returned state and diagnostics own their tensors (detached from every dispose scope).</remarks>
    /// <param name="net">the network (evaluation mode)</param>
    /// <param name="p">the tracker parameters</param>
    /// <param name="imageRgb">(1, 3, H, W) RGB float32 in 0..255</param>
    /// <param name="box">initial box (x, y, w, h), pixel-centre convention of pytracking (<c>pos = xy + (wh − 1)/2</c>)</param>
    /// <param name="uniform2">source of the <c>torch.rand(2)</c> draws of the random shifts (flip, blurs, rotations, in this order)</param>
    /// <param name="dropoutKeep">(count, channels) → keep mask (bool) of the dropout copies</param>
    public static (TrDiMPTrackerState State, TrDiMPInitDiagnostics Diagnostics) Run(TrDiMPNet net, TrDiMPTrackerParams p, Tensor imageRgb,
        (float X, float Y, float W, float H) box, Func<Tensor> uniform2, Func<int, long, Tensor> dropoutKeep)
    {
        if (!(box.W > 0) || !(box.H > 0)) throw new ArgumentException($"TrDiMP: initial box ({box.X}, {box.Y}, {box.W}, {box.H}) is empty");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int sz = p.ImageSampleSize;
        var pos = ((float)(box.Y + (box.H - 1) / 2.0), (float)(box.X + (box.W - 1) / 2.0));
        var targetSz = (box.H, box.W);
        float sa = (targetSz.H * (float)p.SearchAreaScale) * (targetSz.W * (float)p.SearchAreaScale);
        // torch: python float / tensor = tensor.reciprocal() * float
        float targetScale = (1f / MathF.Sqrt((float)sz * sz)) * (float)Math.Sqrt(sa);
        var baseTargetSz = (targetSz.H / targetScale, targetSz.W / targetScale);
        var imageSz = ((float)imageRgb.shape[2], (float)imageRgb.shape[3]);
        var initSamplePos = (MathF.Round(pos.Item1, MidpointRounding.ToEven), MathF.Round(pos.Item2, MidpointRounding.ToEven));

        // Augmentations.
        long expansion = (long)(sz * p.AugmentationExpansionFactor);
        expansion += (expansion - sz) % 2;
        (int, int) RandShift()
        {
            var u = uniform2().data<float>().ToArray();
            float f = (float)p.RandomShiftFactor;
            return ((int)((u[0] - 0.5f) * sz * f), (int)((u[1] - 0.5f) * sz * f));
        }
        var transforms = new List<InitAugmentation> { new(InitAugmentationKind.Identity, 0, 0) };
        foreach (var (ry, rx) in p.RelativeShifts)
            transforms.Add(new(InitAugmentationKind.Translation, (int)(float)(ry * sz / 2), (int)(float)(rx * sz / 2)));
        if (p.FlipLr) { var s = RandShift(); transforms.Add(new(InitAugmentationKind.FlipHorizontal, s.Item1, s.Item2)); }
        foreach (var (sy, sx) in p.BlurSigmas) { var s = RandShift(); transforms.Add(new(InitAugmentationKind.Blur, s.Item1, s.Item2, sy, sx)); }
        foreach (var a in p.RotateDegrees) { var s = RandShift(); transforms.Add(new(InitAugmentationKind.Rotate, s.Item1, s.Item2, AngleDegrees: a)); }

        float expandedSample = targetScale * expansion;
        using var basePatch = SamplePatch.Extract(imageRgb, initSamplePos.Item1, initSamplePos.Item2, expandedSample, expandedSample,
            (int)expansion, (int)expansion, PatchBorderMode.Replicate);
        var patches = cat(transforms.Select(t => t.Apply(basePatch.Patch, sz)).ToArray(), 0);

        var (l2, l3) = net.ExtractBackboneFeatures(TrDiMPFrameTracker.Normalize(patches));
        var x = net.Classifier.ExtractClassificationFeat(l3);
        if (p.Dropout.Count > 0)
        {
            var keep = dropoutKeep(p.Dropout.Count, x.shape[1]).to(ScalarType.Float32).view(p.Dropout.Count, -1, 1, 1);
            var drop = x[..1].expand(p.Dropout.Count, -1, -1, -1) * (keep * (float)(1 / (1 - p.Dropout.Probability)));
            x = cat([x, drop], 0);
            for (int i = 0; i < p.Dropout.Count; i++) transforms.Add(transforms[0]);
        }

        // Target boxes of every sample: the target in the sample frame, shifted with the sample.
        var classifierBox = TrDiMPFrameTracker.IouNetBox(pos, targetSz, initSamplePos, targetScale, sz);
        var initBoxes = tensor(transforms.SelectMany(t => new[] { classifierBox[0] + t.ShiftX, classifierBox[1] + t.ShiftY, classifierBox[2], classifierBox[3] }).ToArray())
            .view(-1, 4);
        int featSz = (int)x.shape[^1];
        var labels = GaussianLabel.Compute(initBoxes, 0.1, net.Config.FilterSize, featSz, sz, false).unsqueeze(1);
        var (memory, _) = net.Classifier.Transformer.Encoder.call(x.unsqueeze(1));
        var decoded = cat(Enumerable.Range(0, (int)x.shape[0])
            .Select(i => net.Classifier.Transformer.Decoder.call(x[i].unsqueeze(0).unsqueeze(0), memory, labels).Maps).ToArray(), 0);

        var filterInit = net.Classifier.FilterInitializer.call(decoded, initBoxes);
        var opt = net.Classifier.FilterOptimizer.Optimize(filterInit, decoded, initBoxes, null, p.NetOptIter, computeLosses: false);
        var filter = opt.Weights.clone();

        int n = (int)x.shape[0];
        var samples = zeros(p.SampleMemorySize, x.shape[1], x.shape[2], x.shape[3]);
        samples[..n] = decoded;
        var boxes = zeros(p.SampleMemorySize, 4);
        boxes[..n] = initBoxes;
        var weights = new float[p.SampleMemorySize];
        for (int i = 0; i < n; i++) weights[i] = 1f / n;

        var iouBox = tensor(new[] { classifierBox[0] + transforms[0].ShiftX, classifierBox[1] + transforms[0].ShiftY, classifierBox[2], classifierBox[3] }).view(1, 4);
        var (m3, m4) = net.BoxRegressor.GetModulation(l2[..1], l3[..1], iouBox);

        var state = new TrDiMPTrackerState
        {
            FrameNum = 1,
            Pos = pos,
            TargetSz = targetSz,
            TargetScale = targetScale,
            BaseTargetSz = baseTargetSz,
            ImageSz = imageSz,
            SampleWeights = weights,
            NumInitSamples = n,
            NumStoredSamples = n,
            TrainingSamples = samples.DetachFromDisposeScope(),
            TargetBoxes = boxes.DetachFromDisposeScope(),
            TargetFilter = filter.DetachFromDisposeScope(),
            XClf = x.DetachFromDisposeScope(),
            TransformerLabel = labels.DetachFromDisposeScope(),
            TransformerMemory = memory.DetachFromDisposeScope(),
            IouModulation3 = m3.mean([0]).view(1, -1).DetachFromDisposeScope(),
            IouModulation4 = m4.mean([0]).view(1, -1).DetachFromDisposeScope(),
        };
        var diag = new TrDiMPInitDiagnostics(transforms, patches.DetachFromDisposeScope(), state.XClf.alias().DetachFromDisposeScope(), decoded.DetachFromDisposeScope(),
            initBoxes.DetachFromDisposeScope(), filterInit.DetachFromDisposeScope(), initSamplePos, targetScale);
        return (state, diag);
    }
}
