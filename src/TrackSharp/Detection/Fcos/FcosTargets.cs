namespace TrackSharp.Detection.Fcos;

/// <summary>
/// The FCOS training targets of one image, per level (P3 first): <see cref="Labels"/> (0 = background, else the
/// contiguous class id) and <see cref="RegTargets"/> (l, t, r, b per point, divided by the level's stride when
/// NORM_REG_TARGETS is on; background rows hold the distances to the GT the argmin picked, as the reference's).
/// <see cref="IsInBoxes"/> and <see cref="IsCaredInLevel"/> are the (points x GTs) masks of all levels
/// concatenated, row-major, kept for inspection.
/// </summary>
public sealed class FcosImageTargets
{
    internal FcosImageTargets(int[][] labels, float[][] regTargets, bool[] isInBoxes, bool[] isCaredInLevel, float[] gtArea)
    {
        Labels = labels; RegTargets = regTargets; IsInBoxes = isInBoxes; IsCaredInLevel = isCaredInLevel; GtArea = gtArea;
    }

    public IReadOnlyList<int[]> Labels { get; }
    public IReadOnlyList<float[]> RegTargets { get; }
    public bool[] IsInBoxes { get; }
    public bool[] IsCaredInLevel { get; }
    /// <summary>GT areas with the +1 convention, <c>(x2 - x1 + 1) * (y2 - y1 + 1)</c>, used for the smallest-area rule.</summary>
    public float[] GtArea { get; }

    /// <summary>Indices of the positive points of level <paramref name="level"/>.</summary>
    public int[] PositiveIndices(int level) =>
        Enumerable.Range(0, Labels[level].Length).Where(i => Labels[level][i] > 0).ToArray();
}

/// <summary>
/// FCOS target assignment (<c>FCOSLossComputation.prepare_targets</c> / <c>compute_targets_for_locations</c>):
/// for every location (x, y) and GT box, <c>(l, t, r, b) = (x - x1, y - y1, x2 - x, y2 - y)</c> (no +1); the
/// location may take the GT when it is inside it (<c>min(l,t,r,b) &gt; 0</c>, or inside the GT-clipped centre box
/// <c>c ± radius * stride</c> with center sampling) and <c>lo &lt;= max(l,t,r,b) &lt;= hi</c> for its level's
/// object size range (inclusive, unnormalised). Among admissible GTs the smallest (+1) area wins, ties to the
/// lower GT index; locations with none are background. All arithmetic is float32 in the reference's order, so
/// results are bit-identical.
/// </summary>
public sealed class FcosTargetAssigner
{
    /// <summary>maskrcnn-benchmark's <c>INF</c> for excluded (location, GT) pairs.</summary>
    public const float Inf = 100000000f;

    /// <summary>The FCOS object size ranges of P3..P7: [-1,64], [64,128], [128,256], [256,512], [512,INF].</summary>
    public static IReadOnlyList<(float Lo, float Hi)> DefaultSizesOfInterest { get; } =
        new[] { (-1f, 64f), (64f, 128f), (128f, 256f), (256f, 512f), (512f, Inf) };

    public FcosTargetAssigner(IReadOnlyList<int> strides, double centerSamplingRadius = 0, bool normRegTargets = false,
        IReadOnlyList<(float Lo, float Hi)>? sizesOfInterest = null)
    {
        Strides = strides.ToArray();
        CenterSamplingRadius = centerSamplingRadius;
        NormRegTargets = normRegTargets;
        SizesOfInterest = (sizesOfInterest ?? DefaultSizesOfInterest).ToArray();
        if (SizesOfInterest.Count != Strides.Count)
            throw new ArgumentException($"{Strides.Count} strides but {SizesOfInterest.Count} size ranges");
    }

    public static FcosTargetAssigner FromOptions(FcosModelOptions o) =>
        new(o.FpnStrides, o.CenterSamplingRadius, o.NormRegTargets);

    public IReadOnlyList<int> Strides { get; }
    public double CenterSamplingRadius { get; }
    public bool NormRegTargets { get; }
    public IReadOnlyList<(float Lo, float Hi)> SizesOfInterest { get; }

    /// <summary>
    /// Targets of one image. <paramref name="locations"/>: per level, interleaved (x, y) (<see cref="FcosLocations.ForLevel"/>);
    /// <paramref name="boxes"/>: GT xyxy in input pixels, 4 per box; <paramref name="labels"/>: contiguous class ids (&gt;= 1).
    /// </summary>
    public FcosImageTargets Assign(IReadOnlyList<float[]> locations, IReadOnlyList<float> boxes, IReadOnlyList<long> labels)
    {
        if (locations.Count != Strides.Count) throw new ArgumentException($"{locations.Count} location levels for {Strides.Count} strides");
        if (boxes.Count != 4 * labels.Count) throw new ArgumentException($"{boxes.Count / 4.0} boxes but {labels.Count} labels");
        int g = labels.Count;
        int total = locations.Sum(l => l.Length / 2);
        var area = new float[g];
        for (int j = 0; j < g; j++) area[j] = (boxes[4 * j + 2] - boxes[4 * j] + 1f) * (boxes[4 * j + 3] - boxes[4 * j + 1] + 1f);
        var inBoxes = new bool[(long)total * g];
        var cared = new bool[(long)total * g];
        var outLabels = new int[locations.Count][];
        var outReg = new float[locations.Count][];
        // The reference's quirk: if the first GT's centre x is 0, center sampling yields no positive at all.
        bool noSamples = CenterSamplingRadius > 0 && g > 0 && (boxes[0] + boxes[2]) / 2f == 0f;
        int row = 0;
        for (int lev = 0; lev < locations.Count; lev++)
        {
            var loc = locations[lev];
            int n = loc.Length / 2;
            var (lo, hi) = SizesOfInterest[lev];
            float radius = (float)(Strides[lev] * CenterSamplingRadius);
            var labs = new int[n];
            var reg = new float[4 * n];
            for (int p = 0; p < n; p++, row++)
            {
                float x = loc[2 * p], y = loc[2 * p + 1];
                float best = float.PositiveInfinity; int bestJ = 0;
                for (int j = 0; j < g; j++)
                {
                    float x1 = boxes[4 * j], y1 = boxes[4 * j + 1], x2 = boxes[4 * j + 2], y2 = boxes[4 * j + 3];
                    float l = x - x1, t = y - y1, r = x2 - x, b = y2 - y;
                    bool inside;
                    if (CenterSamplingRadius > 0)
                    {
                        if (noSamples) inside = false;
                        else
                        {
                            float cx = (x1 + x2) / 2f, cy = (y1 + y2) / 2f;
                            float xmin = cx - radius, ymin = cy - radius, xmax = cx + radius, ymax = cy + radius;
                            float gx1 = xmin > x1 ? xmin : x1, gy1 = ymin > y1 ? ymin : y1;
                            float gx2 = xmax > x2 ? x2 : xmax, gy2 = ymax > y2 ? y2 : ymax;
                            inside = Math.Min(Math.Min(x - gx1, y - gy1), Math.Min(gx2 - x, gy2 - y)) > 0f;
                        }
                    }
                    else inside = Math.Min(Math.Min(l, t), Math.Min(r, b)) > 0f;
                    float m = Math.Max(Math.Max(l, t), Math.Max(r, b));
                    bool c = m >= lo && m <= hi;
                    inBoxes[(long)row * g + j] = inside;
                    cared[(long)row * g + j] = c;
                    float a = inside && c ? area[j] : Inf;
                    if (a < best) { best = a; bestJ = j; }
                }
                if (g == 0) { labs[p] = 0; continue; }
                labs[p] = best == Inf ? 0 : (int)labels[bestJ];
                float bx1 = boxes[4 * bestJ], by1 = boxes[4 * bestJ + 1], bx2 = boxes[4 * bestJ + 2], by2 = boxes[4 * bestJ + 3];
                float s = Strides[lev];
                reg[4 * p] = x - bx1; reg[4 * p + 1] = y - by1; reg[4 * p + 2] = bx2 - x; reg[4 * p + 3] = by2 - y;
                if (NormRegTargets)
                    for (int k = 0; k < 4; k++) reg[4 * p + k] /= s;
            }
            outLabels[lev] = labs;
            outReg[lev] = reg;
        }
        return new FcosImageTargets(outLabels, outReg, inBoxes, cared, area);
    }

    /// <summary>Centerness target <c>sqrt(min(l,r)/max(l,r) * min(t,b)/max(t,b))</c> (float32, no epsilon).</summary>
    public static float Centerness(float l, float t, float r, float b) =>
        MathF.Sqrt(Math.Min(l, r) / Math.Max(l, r) * (Math.Min(t, b) / Math.Max(t, b)));
}
