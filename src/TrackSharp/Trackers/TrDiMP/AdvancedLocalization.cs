namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// DiMP/ATOM <c>localize_advanced</c> on one score map (one scale; TrDiMP uses <c>scale_factors = [1]</c>): the
/// maximum (<c>dcf.max2d</c>: row argmax of every column, then the column argmax, ties to the lowest index), the
/// target neighbourhood masked out (Python's half-to-even rounding), the second maximum, and the distractor logic that
/// yields normal / not_found / uncertain / hard_negative. Arithmetic follows the reference's float32 tensors and
/// Python doubles where each is used. Positions and sizes are (y, x) / (h, w).
/// </summary>
public static class AdvancedLocalization
{
    /// <summary>Thresholds of the tracker parameter file.</summary>
    public sealed record Settings(double TargetNotFoundThreshold = 0.25, double DistractorThreshold = 0.8,
        double HardNegativeThreshold = 0.5, double TargetNeighborhoodScale = 2.2, double DisplacementScale = 0.8,
        double UncertainThreshold = double.NegativeInfinity, double HardSampleThreshold = double.NegativeInfinity);

    /// <param name="scores">score map, row-major (rows × cols)</param>
    /// <param name="rows">score map height</param>
    /// <param name="cols">score map width</param>
    /// <param name="pos">current target position (y, x) in image pixels</param>
    /// <param name="targetSz">current target size (h, w)</param>
    /// <param name="samplePos">centre (y, x) of the image sample the scores come from</param>
    /// <param name="sampleScale">scale of that sample (image pixels per sample pixel)</param>
    /// <param name="imgSupportSz">sample support size (h, w) in sample pixels</param>
    /// <param name="kernelSize">filter size (h, w); <c>output_sz = score_sz − (ksz + 1) % 2</c></param>
    /// <param name="s">the thresholds</param>
    public static LocalizationResult Localize(float[] scores, int rows, int cols, (float Y, float X) pos, (float H, float W) targetSz,
        (float Y, float X) samplePos, float sampleScale, (float H, float W) imgSupportSz, (int H, int W) kernelSize, Settings s)
    {
        if (scores.Length != rows * cols) throw new ArgumentException($"score map has {scores.Length} values, expected {rows}x{cols}");
        float outH = rows - (kernelSize.H + 1) % 2, outW = cols - (kernelSize.W + 1) % 2;
        float centerY = (rows - 1) / 2f, centerX = (cols - 1) / 2f;
        float strideY = imgSupportSz.H / outH, strideX = imgSupportSz.W / outW;

        var (max1, r1, c1) = Max2d(scores, rows, cols);
        float d1y = r1 - centerY, d1x = c1 - centerX;
        float t1y = d1y * strideY * sampleScale, t1x = d1x * strideX * sampleScale;
        LocalizationResult Result(float ty, float tx, LocalizationFlag f) => new(ty, tx, 0, f, max1);

        if (max1 < s.TargetNotFoundThreshold) return Result(t1y, t1x, LocalizationFlag.NotFound);
        if (max1 < s.UncertainThreshold) return Result(t1y, t1x, LocalizationFlag.Uncertain);
        if (max1 < s.HardSampleThreshold) return Result(t1y, t1x, LocalizationFlag.HardNegative);

        float neighH = (float)s.TargetNeighborhoodScale * (targetSz.H / sampleScale) * (outH / imgSupportSz.H);
        float neighW = (float)s.TargetNeighborhoodScale * (targetSz.W / sampleScale) * (outW / imgSupportSz.W);
        int top = Math.Max((int)Math.Round(r1 - neighH / 2.0, MidpointRounding.ToEven), 0);
        int bottom = Math.Min((int)Math.Round(r1 + neighH / 2.0 + 1, MidpointRounding.ToEven), rows);
        int left = Math.Max((int)Math.Round(c1 - neighW / 2.0, MidpointRounding.ToEven), 0);
        int right = Math.Min((int)Math.Round(c1 + neighW / 2.0 + 1, MidpointRounding.ToEven), cols);
        var masked = (float[])scores.Clone();
        for (int r = top; r < bottom; r++)
            for (int c = left; c < right; c++)
                masked[r * cols + c] = 0;

        var (max2, r2, c2) = Max2d(masked, rows, cols);
        float d2y = r2 - centerY, d2x = c2 - centerX;
        float t2y = d2y * strideY * sampleScale, t2x = d2x * strideX * sampleScale;
        float prevY = (pos.Y - samplePos.Y) / (strideY * sampleScale);
        float prevX = (pos.X - samplePos.X) / (strideX * sampleScale);

        if (max2 > (float)s.DistractorThreshold * max1)
        {
            float n1 = MathF.Sqrt((d1y - prevY) * (d1y - prevY) + (d1x - prevX) * (d1x - prevX));
            float n2 = MathF.Sqrt((d2y - prevY) * (d2y - prevY) + (d2x - prevX) * (d2x - prevX));
            double threshold = s.DisplacementScale * Math.Sqrt((double)rows * cols) / 2;
            if (n2 > threshold && n1 < threshold) return Result(t1y, t1x, LocalizationFlag.HardNegative);
            if (n2 < threshold && n1 > threshold) return Result(t2y, t2x, LocalizationFlag.HardNegative);
            return Result(t1y, t1x, LocalizationFlag.Uncertain);
        }
        if (max2 > (float)s.HardNegativeThreshold * max1 && max2 > s.TargetNotFoundThreshold)
            return Result(t1y, t1x, LocalizationFlag.HardNegative);
        return Result(t1y, t1x, LocalizationFlag.Normal);
    }

    /// <summary>pytracking <c>dcf.max2d</c>: per column the first row holding its maximum, then the first column
    /// holding the largest of those.</summary>
    public static (float Max, int Row, int Col) Max2d(float[] a, int rows, int cols)
    {
        float best = float.NegativeInfinity;
        int bestRow = 0, bestCol = 0;
        for (int c = 0; c < cols; c++)
        {
            float colMax = float.NegativeInfinity;
            int colRow = 0;
            for (int r = 0; r < rows; r++)
                if (a[r * cols + c] > colMax) { colMax = a[r * cols + c]; colRow = r; }
            if (colMax > best) { best = colMax; bestRow = colRow; bestCol = c; }
        }
        return (best, bestRow, bestCol);
    }
}
