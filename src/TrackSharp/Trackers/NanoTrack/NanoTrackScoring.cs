namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// NanoTrack's post-processing as pure array functions, with the reference's number types kept on purpose:
/// the reference runs these steps in NumPy 1.x, where a float32 array combined with a float64 scalar stays
/// float32. So scores, decoded boxes, scale/ratio terms and the penalty are float32 here, the cosine window
/// and the final blended score are float64. (See golden/nanotrack/README.md, traps 7-9.)
/// </summary>
public static class NanoTrackScoring
{
    /// <summary>
    /// Anchor points relative to the search-crop centre, interleaved (x, y), row-major over the map:
    /// <c>ori + stride * i</c> with <c>ori = -(S / 2) * stride</c> (integer division: not centred for even S).
    /// </summary>
    public static float[] Points(int scoreSize, int stride)
    {
        var points = new float[2 * scoreSize * scoreSize];
        int origin = -(scoreSize / 2) * stride;
        for (int iy = 0; iy < scoreSize; iy++)
        for (int ix = 0; ix < scoreSize; ix++)
        {
            int k = iy * scoreSize + ix;
            points[2 * k] = origin + stride * ix;
            points[2 * k + 1] = origin + stride * iy;
        }
        return points;
    }

    /// <summary>Outer product of two Hann windows (NumPy's <c>np.hanning</c>, zero end points), row-major.</summary>
    public static double[] HannWindow(int size)
    {
        var hann = new double[size];
        for (int i = 0; i < size; i++)
        {
            // np.hanning evaluates 0.5 + 0.5 cos(pi n / (M - 1)) for n = 1-M, 3-M, ..., M-1.
            double n = 1 - size + 2 * i;
            hann[i] = size == 1 ? 1.0 : 0.5 + 0.5 * Math.Cos(Math.PI * n / (size - 1));
        }
        var window = new double[size * size];
        for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
            window[y * size + x] = hann[y] * hann[x];
        return window;
    }

    /// <summary>Foreground probability: softmax over the two logit planes [2, N], channel 1, in float32.</summary>
    public static void ForegroundScore(ReadOnlySpan<float> cls, Span<float> score)
    {
        int n = score.Length;
        for (int i = 0; i < n; i++)
        {
            float background = cls[i], foreground = cls[n + i];
            float max = MathF.Max(background, foreground);
            float eb = MathF.Exp(background - max), ef = MathF.Exp(foreground - max);
            score[i] = ef / (eb + ef);
        }
    }

    /// <summary>
    /// Turns distances (l, t, r, b) [4, N] into boxes (cx, cy, w, h) [4, N] in crop pixels relative to the crop
    /// centre: corners from the anchor point, then centre and size, all float32.
    /// </summary>
    public static void DecodeBoxes(ReadOnlySpan<float> loc, ReadOnlySpan<float> points, Span<float> boxes)
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
    /// Scale and aspect-ratio change penalty against the current target size (already scaled to crop pixels
    /// by <paramref name="scaleZ"/>): <c>exp(-(r_c * s_c - 1) * k)</c>, float32.
    /// </summary>
    public static void Penalty(ReadOnlySpan<float> boxes, double targetWidth, double targetHeight, double scaleZ,
        double penaltyK, Span<float> penalty)
    {
        int n = penalty.Length;
        // Scalars are float64 in the reference and meet float32 arrays, so they are rounded to float32 first.
        float targetSize = (float)PaddedSize(targetWidth * scaleZ, targetHeight * scaleZ);
        float targetRatio = (float)(targetWidth / targetHeight);
        float k = (float)penaltyK;
        for (int i = 0; i < n; i++)
        {
            float w = boxes[2 * n + i], h = boxes[3 * n + i];
            float pad = (w + h) * 0.5f;
            float size = MathF.Sqrt((w + pad) * (h + pad));
            float sc = Change(size / targetSize);
            float rc = Change(targetRatio / (w / h));
            penalty[i] = MathF.Exp(-(rc * sc - 1f) * k);
        }
    }

    /// <summary>
    /// Blended score <c>penalty * score * (1 - wi) + window * wi</c> (float32 product, float64 blend) and the
    /// index of its first maximum (NumPy argmax tie rule).
    /// </summary>
    public static int BlendAndSelect(ReadOnlySpan<float> penalty, ReadOnlySpan<float> score,
        ReadOnlySpan<double> window, double windowInfluence, Span<double> blended)
    {
        float keep = (float)(1 - windowInfluence);
        int best = 0;
        for (int i = 0; i < blended.Length; i++)
        {
            float weighted = penalty[i] * score[i] * keep;
            blended[i] = weighted + window[i] * windowInfluence;
            if (blended[i] > blended[best]) best = i;
        }
        return best;
    }

    private static double PaddedSize(double w, double h)
    {
        double pad = (w + h) * 0.5;
        return Math.Sqrt((w + pad) * (h + pad));
    }

    private static float Change(float r) => MathF.Max(r, 1f / r);
}
