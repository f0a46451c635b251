using TorchSharp;
using static TorchSharp.torch;

namespace TrackSharp.Detection.Fcos;

/// <summary>Settings of <see cref="FcosPostProcessor"/> (maskrcnn-benchmark <c>MODEL.FCOS.*</c> / <c>TEST.*</c> names in the comments).</summary>
public sealed record FcosPostProcessorOptions
{
    /// <summary><c>INFERENCE_TH</c>: candidates need <c>sigmoid(cls) &gt; PreNmsThreshold</c> (strict, before the centerness product).</summary>
    public float PreNmsThreshold { get; init; } = 0.05f;
    /// <summary><c>PRE_NMS_TOP_N</c>: at most this many candidates per image and level.</summary>
    public int PreNmsTopN { get; init; } = 1000;
    /// <summary><c>NMS_TH</c>: same-label boxes with IoU (+1 areas) strictly above this are suppressed.</summary>
    public double NmsThreshold { get; init; } = 0.6;
    /// <summary><c>TEST.DETECTIONS_PER_IMG</c>: the <c>kthvalue</c> cut after NMS (ties can keep more); &lt;= 0 disables it.</summary>
    public int DetectionsPerImage { get; init; } = 100;
    /// <summary><c>remove_small_boxes</c> minimum width/height with the +1 convention (0 keeps every box of non-negative size).</summary>
    public float MinSize { get; init; } = 0f;
}

/// <summary>Everything <see cref="FcosPostProcessor.Process"/> computes for one image, stage by stage.</summary>
public sealed class FcosImageResult
{
    internal FcosImageResult(IReadOnlyList<IReadOnlyList<DetectedBox>> perLevel, IReadOnlyList<DetectedBox> preNms,
        IReadOnlyList<DetectedBox> afterNms, IReadOnlyList<DetectedBox> final)
    {
        PerLevel = perLevel;
        PreNms = preNms;
        AfterNms = afterNms;
        Final = final;
    }

    /// <summary>Per level (P3 first): top-k candidates, decoded, clipped, small boxes removed. Order within a level is
    /// by descending score, ties by candidate order (the reference's <c>topk(sorted=False)</c> order is unspecified).</summary>
    public IReadOnlyList<IReadOnlyList<DetectedBox>> PerLevel { get; }
    /// <summary>The levels concatenated (P3..P7).</summary>
    public IReadOnlyList<DetectedBox> PreNms { get; }
    /// <summary>After class-aware NMS, in <see cref="PreNms"/> order.</summary>
    public IReadOnlyList<DetectedBox> AfterNms { get; }
    /// <summary>After the detections-per-image cut, in <see cref="PreNms"/> order.</summary>
    public IReadOnlyList<DetectedBox> Final { get; }
}

/// <summary>
/// FCOS inference post-processing as in FCOS's maskrcnn-benchmark <c>FCOSPostProcessor</c>:
/// per level and image, <c>cls = sigmoid(logits)</c>, candidates <c>cls &gt; threshold</c>,
/// <c>k = min(#candidates, PreNmsTopN)</c>, the k best of <c>cls * sigmoid(centerness)</c>, boxes
/// <c>(x - l, y - t, x + r, y + b)</c> (no +1), score <c>sqrt(cls * ctr)</c>, label = class index + 1, clipped to
/// <c>[0, w - 1] x [0, h - 1]</c>, small boxes removed; then levels concatenated, class-aware NMS
/// (<see cref="BoxListOps.MultiLabelNms"/>, +1 areas) and the <c>kthvalue</c> cut to <see cref="FcosPostProcessorOptions.DetectionsPerImage"/>.
/// Box regression is expected in pixels (the head's eval output, already multiplied by the stride when
/// NORM_REG_TARGETS is on).
/// </summary>
public sealed class FcosPostProcessor
{
    public FcosPostProcessor(FcosPostProcessorOptions? options = null)
    {
        Options = options ?? new FcosPostProcessorOptions();
    }

    public FcosPostProcessorOptions Options { get; }

    /// <summary>
    /// Runs the post-processing. Per level l: <paramref name="boxCls"/>[l] (N, C, H, W) logits,
    /// <paramref name="boxRegression"/>[l] (N, 4, H, W) distances (l, t, r, b) in pixels, <paramref name="centerness"/>[l]
    /// (N, 1, H, W) logits, <paramref name="locations"/>[l] (H * W, 2). <paramref name="imageSizes"/>: (height, width)
    /// of each image before padding. Returns one result per image.
    /// </summary>
    public IReadOnlyList<FcosImageResult> Process(IReadOnlyList<Tensor> locations, IReadOnlyList<Tensor> boxCls,
        IReadOnlyList<Tensor> boxRegression, IReadOnlyList<Tensor> centerness, IReadOnlyList<(int Height, int Width)> imageSizes)
    {
        int levels = locations.Count;
        if (boxCls.Count != levels || boxRegression.Count != levels || centerness.Count != levels)
            throw new ArgumentException($"level counts differ: {locations.Count} locations, {boxCls.Count} box_cls, " +
                                        $"{boxRegression.Count} box_regression, {centerness.Count} centerness");
        int n = imageSizes.Count;
        var perLevel = new List<DetectedBox>[n][];
        for (int i = 0; i < n; i++) perLevel[i] = new List<DetectedBox>[levels];
        for (int l = 0; l < levels; l++)
        {
            var lev = ForSingleFeatureMap(locations[l], boxCls[l], boxRegression[l], centerness[l], imageSizes, $"P{l + 3}");
            for (int i = 0; i < n; i++) perLevel[i][l] = lev[i];
        }
        var results = new FcosImageResult[n];
        for (int i = 0; i < n; i++)
        {
            var pre = perLevel[i].SelectMany(d => d).ToList();
            var afterNms = BoxListOps.MultiLabelNms(pre, Options.NmsThreshold);
            var final = BoxListOps.KeepTopByKthValue(afterNms, Options.DetectionsPerImage);
            results[i] = new FcosImageResult(perLevel[i], pre, afterNms, final);
        }
        return results;
    }

    /// <summary>
    /// <c>forward_for_single_feature_map</c>: the detections of one level for every image (see the class summary).
    /// </summary>
    public List<DetectedBox>[] ForSingleFeatureMap(Tensor locations, Tensor boxCls, Tensor boxRegression, Tensor centerness,
        IReadOnlyList<(int Height, int Width)> imageSizes, string levelName = "level")
    {
        if (boxCls.dim() != 4) throw new ArgumentException($"{levelName}: box_cls must be (N, C, H, W), got [{string.Join(", ", boxCls.shape)}]");
        long nImg = boxCls.shape[0], c = boxCls.shape[1], h = boxCls.shape[2], w = boxCls.shape[3];
        long hw = h * w;
        if (!boxRegression.shape.SequenceEqual(new[] { nImg, 4, h, w }))
            throw new ArgumentException($"{levelName}: box_regression is [{string.Join(", ", boxRegression.shape)}], expected [{nImg}, 4, {h}, {w}]");
        if (!centerness.shape.SequenceEqual(new[] { nImg, 1, h, w }))
            throw new ArgumentException($"{levelName}: centerness is [{string.Join(", ", centerness.shape)}], expected [{nImg}, 1, {h}, {w}]");
        if (!locations.shape.SequenceEqual(new[] { hw, 2 }))
            throw new ArgumentException($"{levelName}: locations is [{string.Join(", ", locations.shape)}], expected [{hw}, 2]");
        if (imageSizes.Count != nImg)
            throw new ArgumentException($"{levelName}: {imageSizes.Count} image sizes for a batch of {nImg}");

        float[] cls, reg, ctr, loc;
        using (no_grad())
        using (NewDisposeScope())
        {
            // (N, H, W, C) contiguous: the element order in which the reference applies sigmoid.
            cls = ReferenceSigmoid(boxCls.detach().to(CPU).to_type(ScalarType.Float32).permute(0, 2, 3, 1).contiguous().data<float>().ToArray());
            reg = boxRegression.detach().to(CPU).to_type(ScalarType.Float32).permute(0, 2, 3, 1).contiguous().data<float>().ToArray();
            ctr = ReferenceSigmoid(centerness.detach().to(CPU).to_type(ScalarType.Float32).reshape(nImg, hw).contiguous().data<float>().ToArray());
            loc = locations.detach().to(CPU).to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        }

        float thr = Options.PreNmsThreshold;
        var results = new List<DetectedBox>[nImg];
        for (int i = 0; i < nImg; i++)
        {
            long clsBase = i * hw * c;
            // Candidates in the reference's nonzero() order: location-major, then class.
            var candIndex = new List<long>();
            var candScore = new List<float>();
            for (long p = 0; p < hw; p++)
            {
                float ct = ctr[i * hw + p];
                for (long k = 0; k < c; k++)
                {
                    float s = cls[clsBase + p * c + k];
                    if (s > thr)
                    {
                        candIndex.Add(p * c + k);
                        candScore.Add(s * ct);
                    }
                }
            }
            int topN = Math.Min(candIndex.Count, Options.PreNmsTopN);
            // Top-k by descending score, ties by candidate order (stable); kept in that order.
            var order = Enumerable.Range(0, candIndex.Count).ToArray();
            var keys = candScore.ToArray();
            Array.Sort(order, (a, b) =>
            {
                int cmp = keys[b].CompareTo(keys[a]);
                return cmp != 0 ? cmp : a.CompareTo(b);
            });
            var (imgH, imgW) = imageSizes[i];
            float maxX = imgW - 1, maxY = imgH - 1;
            var dets = new List<DetectedBox>(topN);
            for (int j = 0; j < topN; j++)
            {
                int q = order[j];
                long p = candIndex[q] / c, k = candIndex[q] % c;
                float x = loc[2 * p], y = loc[2 * p + 1];
                long rb = (i * hw + p) * 4;
                float x1 = x - reg[rb], y1 = y - reg[rb + 1], x2 = x + reg[rb + 2], y2 = y + reg[rb + 3];
                var d = new DetectedBox(
                    Math.Clamp(x1, 0f, maxX), Math.Clamp(y1, 0f, maxY),
                    Math.Clamp(x2, 0f, maxX), Math.Clamp(y2, 0f, maxY),
                    MathF.Sqrt(keys[q]), k + 1);
                dets.Add(d);
            }
            results[i] = BoxListOps.RemoveSmallBoxes(dets, Options.MinSize);
        }
        return results;
    }

    /// <summary>
    /// float32 sigmoid of a contiguous buffer, bit-identical to the reference's CPU run (one thread, AVX2): PyTorch's
    /// elementwise loop computes blocks of two 8-wide vectors with the vectorised (SLEEF) exp and the remaining
    /// <c>n % 16</c> elements with the scalar <c>1 / (1 + exp(-x))</c>, and the two differ in the last bit for some
    /// inputs. Here the first <c>n - n % 16</c> elements go through libtorch's vector path (zero-padded to whole
    /// 32-element blocks and fed in pieces small enough never to be split across threads, so no piece has a scalar
    /// tail on AVX2 or AVX-512) and the rest through its scalar path (a tensor shorter than one vector block).
    /// </summary>
    internal static float[] ReferenceSigmoid(float[] x)
    {
        const int ReferenceBlock = 16;   // 2 x Vectorized<float>::size() on AVX2
        const int Piece = 16384;         // multiple of 32 (AVX-512 block), below PyTorch's 32768 parallel grain
        int n = x.Length;
        int vec = n - n % ReferenceBlock;
        var r = new float[n];
        using var scope = NewDisposeScope();
        for (int start = 0; start < vec; start += Piece)
        {
            int len = Math.Min(Piece, vec - start);
            int padded = (len + 31) / 32 * 32;
            var buf = new float[padded];
            Array.Copy(x, start, buf, 0, len);
            var s = tensor(buf).sigmoid().data<float>().ToArray();
            Array.Copy(s, 0, r, start, len);
        }
        if (vec < n)
        {
            var tailIn = x.AsSpan(vec).ToArray();
            var s = tensor(tailIn).sigmoid().data<float>().ToArray();
            Array.Copy(s, 0, r, vec, n - vec);
        }
        return r;
    }
}
