using TrackSharp.Tracking;

namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>
/// SiamFC++'s tracker post-processing (videoanalyst <c>SiamFCppTracker._postprocess_score</c> and
/// <c>_postprocess_box</c>) as pure array functions, with the reference's NumPy 1.x number types: the network
/// outputs, decoded boxes, scale/ratio terms and the penalty are float32; the cosine window and the blended score
/// are float64. Maps are flattened row-major (<c>i = y * S + x</c>); boxes are interleaved, 4 values per point.
/// The blend with the window and the selection are the BAN trackers' (<see cref="BanScoring.BlendAndSelect"/>).
/// </summary>
public static class SiamFCppScoring
{
    /// <summary>
    /// <c>np.outer(np.hanning(S), np.hanning(S)).reshape(-1)</c> (symmetric Hann, zero end points) for
    /// "cosine"; all ones for "uniform".
    /// </summary>
    public static double[] Window(int size, string windowing = "cosine")
    {
        if (windowing != "uniform") return BanScoring.CosineWindow(size); // the same np.hanning outer product
        var window = new double[size * size];
        Array.Fill(window, 1.0);
        return window;
    }

    /// <summary>
    /// videoanalyst <c>xyxy2cxywh</c> in float32: centre <c>(x0 + x1) / 2</c>, size <c>x1 - x0 + 1</c> (the +1
    /// pixel convention), per point (interleaved [N, 4] in and out).
    /// </summary>
    public static void XyxyToCxywh(ReadOnlySpan<float> xyxy, Span<float> cxywh)
    {
        for (int i = 0; i < xyxy.Length; i += 4)
        {
            float x0 = xyxy[i], y0 = xyxy[i + 1], x1 = xyxy[i + 2], y1 = xyxy[i + 3];
            cxywh[i] = (x0 + x1) / 2f;
            cxywh[i + 1] = (y0 + y1) / 2f;
            cxywh[i + 2] = x1 - x0 + 1f;
            cxywh[i + 3] = y1 - y0 + 1f;
        }
    }

    /// <summary>
    /// Scale and aspect-ratio change penalty <c>exp(-(r_c * s_c - 1) * k)</c> (float32) of every box (cxywh in
    /// crop pixels, interleaved) against the target size in crop pixels
    /// (<paramref name="targetWidthInCrop"/>, <paramref name="targetHeightInCrop"/> = target size * scale_x,
    /// already in the prior's precision). <c>s_c = max(r, 1/r)</c> of <c>sz(box) / sz(target)</c> with
    /// <c>sz(w, h) = sqrt((w + p)(h + p)), p = (w + h) / 2</c>; <c>r_c</c> the same of
    /// <c>(tw / th) / (bw / bh)</c>.
    /// </summary>
    public static void Penalty(ReadOnlySpan<float> boxCxywh, double targetWidthInCrop, double targetHeightInCrop,
        double penaltyK, Span<float> penalty)
    {
        // Scalars meet float32 arrays (NumPy 1.x value-based casting): they are rounded to float32 first.
        double tw = targetWidthInCrop, th = targetHeightInCrop, pad = (tw + th) * 0.5;
        float targetSize = (float)Math.Sqrt((tw + pad) * (th + pad));
        float targetRatio = (float)(tw / th);
        float k = (float)penaltyK;
        for (int i = 0; i < penalty.Length; i++)
        {
            float w = boxCxywh[4 * i + 2], h = boxCxywh[4 * i + 3];
            float p = (w + h) * 0.5f;
            float size = MathF.Sqrt((w + p) * (h + p));
            float sc = Change(size / targetSize);
            float rc = Change(targetRatio / (w / h));
            penalty[i] = MathF.Exp(-(rc * sc - 1f) * k);
        }
    }

    private static float Change(float r) => MathF.Max(r, 1f / r);
}
