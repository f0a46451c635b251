using TorchSharp;
using TrackSharp.Geometry;
using static TorchSharp.torch;

namespace TrackSharp.Data.Targets;

/// <summary>Where and how large one box's Gaussian is drawn on the heatmap.</summary>
/// <param name="CenterX">Centre column on the map, float32 rounded half to even (may lie outside the map).</param>
/// <param name="CenterY">Centre row on the map, same rule.</param>
/// <param name="RadiusRaw">CornerNet radius before the cast (float32 maths, may be negative for empty boxes).</param>
/// <param name="Radius">The radius actually drawn: <c>max(RadiusRaw, 0)</c> truncated toward zero.</param>
public readonly record struct GaussianPlacement(float CenterX, float CenterY, float RadiusRaw, int Radius);

/// <summary>
/// OSTrack's centre-head label (<c>lib/utils/heapmap_utils.py generate_heatmap</c>): one CenterNet Gaussian per
/// box on a <c>patchSize / stride</c> square map. Reproduces the reference's arithmetic: boxes are float32,
/// the centre is <c>round_half_even(xy·m + wh·m/2)</c> (m = map size), the radius is CornerNet's
/// <b>bug version</b> of <c>gaussian_radius</c> (each root divided by 2 instead of 2a) with min overlap 0.7 in
/// float32 and truncated to int, sigma = (2r+1)/6, the Gaussian is evaluated in float64 (values below
/// eps·max set to 0) then cast to float32, and drawn with an element-wise max, clipped at the borders with
/// the reference's Python slice semantics (a centre off the map draws only the part that overlaps it, or
/// nothing). Map cell (row y, column x) has its centre at pixel index (x, y) of the map grid.
/// </summary>
public static class CenterHeatmap
{
    /// <summary>CornerNet <c>gaussian_radius</c> (bug version) in float32, as OSTrack evaluates it on a float32 tensor.</summary>
    /// <param name="width">Box width in map cells.</param>
    /// <param name="height">Box height in map cells.</param>
    /// <param name="minOverlap">Minimum IoU (OSTrack: 0.7). Python-float constants derived from it are rounded to float32 as torch does.</param>
    public static float GaussianRadius(float width, float height, double minOverlap = 0.7)
    {
        float oneMinus = (float)(1 - minOverlap);
        float onePlus = (float)(1 + minOverlap);

        float b1 = height + width;
        float c1 = width * height * oneMinus / onePlus;
        float sq1 = MathF.Sqrt(b1 * b1 - 4f * c1);
        float r1 = (b1 + sq1) / 2f;

        float b2 = 2f * (height + width);
        float c2 = oneMinus * width * height;
        float sq2 = MathF.Sqrt(b2 * b2 - 16f * c2);
        float r2 = (b2 + sq2) / 2f;

        float a3x4 = (float)(4 * (4 * minOverlap));
        float b3 = (float)(-2 * minOverlap) * (height + width);
        float c3 = (float)(minOverlap - 1) * width * height;
        float sq3 = MathF.Sqrt(b3 * b3 - a3x4 * c3);
        float r3 = (b3 + sq3) / 2f;

        return TorchMin(r1, TorchMin(r2, r3));
    }

    // torch.min(a, b) propagates NaN.
    private static float TorchMin(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : Math.Min(a, b);

    /// <summary>
    /// Centre and radius of one box (normalised xywh, float32 like the reference tensor) on a map of
    /// <paramref name="mapSize"/> cells.
    /// </summary>
    public static GaussianPlacement Place(float x, float y, float w, float h, int mapSize, double minOverlap = 0.7)
    {
        float m = mapSize;
        float bx = x * m, by = y * m, bw = w * m, bh = h * m;
        float cx = MathF.Round(bx + bw / 2f, MidpointRounding.ToEven);
        float cy = MathF.Round(by + bh / 2f, MidpointRounding.ToEven);
        float raw = GaussianRadius(bw, bh, minOverlap);
        float clamped = float.IsNaN(raw) ? raw : Math.Max(raw, 0f);
        int radius = float.IsNaN(clamped) ? 0 : (int)clamped; // torch int cast truncates toward zero
        return new GaussianPlacement(cx, cy, raw, radius);
    }

    /// <summary>
    /// The (2r+1)×(2r+1) float64 Gaussian <c>exp(-(x²+y²)/(2σ²))</c> for integer offsets −r…r, with entries
    /// below <c>eps·max</c> (eps = 2^-52) set to 0. Row index = y offset + r.
    /// </summary>
    public static double[,] Gaussian2D(int radius, double sigma)
    {
        int n = 2 * radius + 1;
        var g = new double[n, n];
        double denom = 2 * sigma * sigma;
        double max = double.NegativeInfinity;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                long dy = i - radius, dx = j - radius;
                double v = Math.Exp(-(dx * dx + dy * dy) / denom);
                g[i, j] = v;
                if (v > max) max = v;
            }
        double threshold = 2.220446049250313e-16 * max; // np.finfo(float64).eps * max
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (g[i, j] < threshold) g[i, j] = 0;
        return g;
    }

    /// <summary>
    /// Draws the radius-<paramref name="radius"/> Gaussian (sigma (2r+1)/6, cast to float32) centred on cell
    /// (<paramref name="centerX"/>, <paramref name="centerY"/>) into <paramref name="map"/> [row, column] with an
    /// element-wise max. Clipping follows the reference's slices, Python negative-index wrap included.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the two slices are non-empty but of different shapes
    /// (the reference would fail to broadcast there; it cannot happen for a square Gaussian).</exception>
    public static void DrawGaussian(float[,] map, int centerX, int centerY, int radius)
    {
        int height = map.GetLength(0), width = map.GetLength(1);
        int diameter = 2 * radius + 1;
        var gaussian = Gaussian2D(radius, diameter / 6.0);

        int left = Math.Min(centerX, radius), right = Math.Min(width - centerX, radius + 1);
        int top = Math.Min(centerY, radius), bottom = Math.Min(height - centerY, radius + 1);

        var (my0, myLen) = PySlice(centerY - top, centerY + bottom, height);
        var (mx0, mxLen) = PySlice(centerX - left, centerX + right, width);
        var (gy0, gyLen) = PySlice(radius - top, radius + bottom, diameter);
        var (gx0, gxLen) = PySlice(radius - left, radius + right, diameter);
        if (Math.Min(myLen, mxLen) <= 0 || Math.Min(gyLen, gxLen) <= 0) return;
        if (myLen != gyLen || mxLen != gxLen)
            throw new InvalidOperationException(
                $"heatmap slice {myLen}x{mxLen} and gaussian slice {gyLen}x{gxLen} differ (centre {centerX},{centerY}, radius {radius})");
        for (int i = 0; i < myLen; i++)
            for (int j = 0; j < mxLen; j++)
            {
                float g = (float)gaussian[gy0 + i, gx0 + j];
                ref float cell = ref map[my0 + i, mx0 + j];
                if (g > cell || float.IsNaN(g)) cell = g;
            }
    }

    /// <summary>Python <c>seq[start:stop]</c> on a sequence of <paramref name="length"/>: (first index, count).</summary>
    private static (int Start, int Count) PySlice(int start, int stop, int length)
    {
        static int Norm(int i, int n) => i < 0 ? Math.Max(i + n, 0) : Math.Min(i, n);
        int s = Norm(start, length), e = Norm(stop, length);
        return (s, Math.Max(0, e - s));
    }

    /// <summary>
    /// <c>generate_heatmap</c> for one set of boxes: boxes are normalised (x, y, w, h) relative to the search
    /// crop (rounded to float32 first); returns float32 [box, row, column] with map size
    /// <c>patchSize / stride</c> (OSTrack: 256 / 16 = 16), one map per box.
    /// </summary>
    public static float[,,] Generate(IReadOnlyList<BoxXywh> boxesNormalized, int patchSize = 256, int stride = 16)
    {
        int m = patchSize / stride;
        var result = new float[boxesNormalized.Count, m, m];
        var map = new float[m, m];
        for (int b = 0; b < boxesNormalized.Count; b++)
        {
            var box = boxesNormalized[b];
            var p = Place((float)box.X, (float)box.Y, (float)box.Width, (float)box.Height, m);
            Array.Clear(map);
            DrawGaussian(map, (int)p.CenterX, (int)p.CenterY, p.Radius);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++)
                    result[b, i, j] = map[i, j];
        }
        return result;
    }

    /// <summary>
    /// Tensor form: <paramref name="boxes"/> (..., 4) normalised xywh (any float dtype, read as float32) →
    /// float32 (..., m, m) on the same device, m = patchSize / stride. OSTrack's (T, B, 4) search boxes give
    /// (T, B, 16, 16), i.e. the reference's list of T maps stacked.
    /// </summary>
    public static Tensor Generate(Tensor boxes, int patchSize = 256, int stride = 16)
    {
        if (boxes.shape.Length == 0 || boxes.shape[^1] != 4)
            throw new ArgumentException($"boxes must have shape (..., 4), got ({string.Join(", ", boxes.shape)})", nameof(boxes));
        int m = patchSize / stride;
        float[] v;
        using (var cpu = boxes.detach().to(ScalarType.Float32, CPU).contiguous())
            v = cpu.data<float>().ToArray();
        int n = v.Length / 4;
        var flat = new float[n * m * m];
        var map = new float[m, m];
        for (int b = 0; b < n; b++)
        {
            var p = Place(v[4 * b], v[4 * b + 1], v[4 * b + 2], v[4 * b + 3], m);
            Array.Clear(map);
            DrawGaussian(map, (int)p.CenterX, (int)p.CenterY, p.Radius);
            Buffer.BlockCopy(map, 0, flat, b * m * m * sizeof(float), m * m * sizeof(float));
        }
        var shape = boxes.shape[..^1].Concat(new long[] { m, m }).ToArray();
        return tensor(flat, shape, ScalarType.Float32).to(boxes.device);
    }
}
