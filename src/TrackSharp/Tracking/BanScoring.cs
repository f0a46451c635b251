using TrackSharp.Geometry;

namespace TrackSharp.Tracking;

/// <summary>
/// The post-processing of the box-adaptive (BAN) Siamese trackers — SiamBAN's <c>siamban_tracker.py</c> and
/// NanoTrack's <c>nano_tracker.py</c>, which share it — as pure array functions over a score map of
/// N = S x S cells, row-major. The references run these steps in NumPy 1.x, where a float32 array combined with
/// a float64 scalar stays float32: scores, decoded boxes, the scale/ratio terms and the penalty are float32 here;
/// the cosine window and the blended score are float64 (golden/nanotrack and golden/siamban_small READMEs, traps).
/// </summary>
public static class BanScoring
{
    /// <summary>
    /// Points relative to the search-crop centre, interleaved (x, y), row-major: <c>ori + stride * i</c> with
    /// <c>ori = -(S / 2) * stride</c> (integer division), e.g. -96 ... 96 for S = 25, stride 8; not centred for an even S (NanoTrack v1/v2: -128 ... 112).
    /// </summary>
    public static float[] Points(int scoreSize, int stride)
    {
        var points = new float[2 * scoreSize * scoreSize];
        int origin = -(scoreSize / 2) * stride;
        for (int row = 0; row < scoreSize; row++)
        for (int col = 0; col < scoreSize; col++)
        {
            int cell = row * scoreSize + col;
            points[2 * cell] = origin + stride * col;
            points[2 * cell + 1] = origin + stride * row;
        }
        return points;
    }

    /// <summary>Cosine window: outer product of <c>np.hanning(S)</c> with itself (zero end points), float64, row-major.</summary>
    public static double[] CosineWindow(int size)
    {
        var hann = new double[size];
        for (int i = 0; i < size; i++)
        {
            // As NumPy evaluates it: 0.5 + 0.5 cos(pi n / (M - 1)) for n = 1-M, 3-M, ..., M-1.
            double n = 1 - size + 2 * i;
            hann[i] = size == 1 ? 1.0 : 0.5 + 0.5 * Math.Cos(Math.PI * n / (size - 1));
        }
        var window = new double[size * size];
        for (int row = 0; row < size; row++)
        for (int col = 0; col < size; col++)
            window[row * size + col] = hann[row] * hann[col];
        return window;
    }

    /// <summary>
    /// Foreground probability per cell from the classification logits laid out [C, N] (C = cls_out_channels):
    /// C = 2: softmax over the two planes, plane 1; C = 1: sigmoid. Float32 throughout.
    /// </summary>
    public static void ConvertScore(ReadOnlySpan<float> cls, int clsOutChannels, Span<float> score)
    {
        int n = score.Length;
        if (cls.Length != clsOutChannels * n)
            throw new ArgumentException($"cls has {cls.Length} values, expected {clsOutChannels} x {n}");
        if (clsOutChannels == 1)
        {
            for (int i = 0; i < n; i++) score[i] = 1f / (1f + MathF.Exp(-cls[i]));
            return;
        }
        if (clsOutChannels != 2) throw new ArgumentOutOfRangeException(nameof(clsOutChannels), clsOutChannels, "must be 1 or 2");
        for (int i = 0; i < n; i++)
        {
            float background = cls[i], foreground = cls[n + i];
            float top = MathF.Max(background, foreground);
            float eBackground = MathF.Exp(background - top), eForeground = MathF.Exp(foreground - top);
            score[i] = eForeground / (eBackground + eForeground);
        }
    }

    /// <summary>
    /// <c>_convert_bbox</c>: distances (l, t, r, b) [4, N] from each point become boxes (cx, cy, w, h) [4, N] in
    /// search-crop pixels relative to the crop centre (corners first, then centre and size; float32).
    /// </summary>
    public static void ConvertBoxes(ReadOnlySpan<float> loc, ReadOnlySpan<float> points, Span<float> boxes)
    {
        int n = loc.Length / 4;
        for (int i = 0; i < n; i++)
        {
            float px = points[2 * i], py = points[2 * i + 1];
            float x1 = px - loc[i], y1 = py - loc[n + i];
            float x2 = px + loc[2 * n + i], y2 = py + loc[3 * n + i];
            boxes[i] = (x1 + x2) * 0.5f;
            boxes[n + i] = (y1 + y2) * 0.5f;
            boxes[2 * n + i] = x2 - x1;
            boxes[3 * n + i] = y2 - y1;
        }
    }

    /// <summary>
    /// Scale and aspect-ratio change penalty <c>exp(-(r_c * s_c - 1) * k)</c> against the current target size
    /// (image pixels, scaled to crop pixels by <paramref name="scaleZ"/>); float32. <paramref name="scaleChange"/>
    /// and <paramref name="ratioChange"/> receive <c>s_c</c> and <c>r_c</c> when not empty.
    /// </summary>
    public static void Penalty(ReadOnlySpan<float> boxes, double targetWidth, double targetHeight, double scaleZ,
        double penaltyK, Span<float> penalty, Span<float> scaleChange = default, Span<float> ratioChange = default)
    {
        int n = penalty.Length;
        // float64 scalars meeting float32 arrays (NumPy 1.x): rounded to float32 first.
        double sw = targetWidth * scaleZ, sh = targetHeight * scaleZ, spad = (sw + sh) * 0.5;
        float targetSize = (float)Math.Sqrt((sw + spad) * (sh + spad));
        float targetRatio = (float)(targetWidth / targetHeight);
        float k = (float)penaltyK;
        for (int i = 0; i < n; i++)
        {
            float w = boxes[2 * n + i], h = boxes[3 * n + i];
            float pad = (w + h) * 0.5f;
            float sc = Change(MathF.Sqrt((w + pad) * (h + pad)) / targetSize);
            float rc = Change(targetRatio / (w / h));
            if (!scaleChange.IsEmpty) scaleChange[i] = sc;
            if (!ratioChange.IsEmpty) ratioChange[i] = rc;
            penalty[i] = MathF.Exp(-(rc * sc - 1f) * k);
        }
    }

    /// <summary>
    /// <c>pscore = penalty * score * (1 - wi) + window * wi</c> (float32 product, float64 blend) and the index of
    /// its first maximum (NumPy argmax).
    /// </summary>
    public static int BlendAndSelect(ReadOnlySpan<float> penalty, ReadOnlySpan<float> score,
        ReadOnlySpan<double> window, double windowInfluence, Span<double> pscore)
    {
        float keep = (float)(1 - windowInfluence);
        int best = 0;
        for (int i = 0; i < pscore.Length; i++)
        {
            float weighted = penalty[i] * score[i] * keep;
            pscore[i] = weighted + window[i] * windowInfluence;
            if (pscore[i] > pscore[best]) best = i;
        }
        return best;
    }

    /// <summary>The new target state after a frame (image pixels, float64) and the values behind it.</summary>
    public readonly record struct StateUpdate(double CenterX, double CenterY, double Width, double Height,
        double LearningRate, float OffsetX, float OffsetY, float BoxWidth, float BoxHeight)
    {
        /// <summary>The reported box <c>[cx - w/2, cy - h/2, w, h]</c> (initialisation uses cx = x + (w-1)/2).</summary>
        public BoxXywh Box => new(CenterX - Width / 2, CenterY - Height / 2, Width, Height);
    }

    /// <summary>
    /// The reference's state update for the chosen cell: the box back to image pixels (float32 division by
    /// <c>scale_z</c>), the centre jumping to the prediction, only the size smoothed with
    /// <c>lr = penalty * score * LR</c> (a float32 product widened to float64), then <c>_bbox_clip</c>: centre in
    /// [0, W] x [0, H], size in [10, W] x [10, H].
    /// </summary>
    public static StateUpdate UpdateState(ReadOnlySpan<float> boxes, ReadOnlySpan<float> penalty,
        ReadOnlySpan<float> score, int best, double scaleZ, double learningRate, double centerX, double centerY,
        double width, double height, int imageWidth, int imageHeight)
    {
        int n = score.Length;
        float fScale = (float)scaleZ; // float32 boxes / float64 scalar stays float32
        float dx = boxes[best] / fScale, dy = boxes[n + best] / fScale;
        float bw = boxes[2 * n + best] / fScale, bh = boxes[3 * n + best] / fScale;
        double lr = (double)(penalty[best] * score[best]) * learningRate;

        double cx = dx + centerX, cy = dy + centerY;
        double w = width * (1 - lr) + bw * lr;
        double h = height * (1 - lr) + bh * lr;
        return new StateUpdate(
            PyMinMax.Max(0, PyMinMax.Min(cx, imageWidth)), PyMinMax.Max(0, PyMinMax.Min(cy, imageHeight)),
            PyMinMax.Max(10, PyMinMax.Min(w, imageWidth)), PyMinMax.Max(10, PyMinMax.Min(h, imageHeight)),
            lr, dx, dy, bw, bh);
    }

    private static float Change(float r) => MathF.Max(r, 1f / r);
}
