using TrackSharp.Geometry;
using static TorchSharp.torch;

namespace TrackSharp.Data.Targets;

/// <summary>
/// SiamBAN labels for one search image (the contract of pysot/siamban <c>datasets/point_target.py</c>).
/// Maps are row-major over the S×S grid, cell index <c>i = row·S + col</c>.
/// </summary>
/// <param name="Size">S (25 for SiamBAN).</param>
/// <param name="Cls">S·S int64 labels: 1 positive, 0 negative, −1 ignored.</param>
/// <param name="Delta">4·S·S float32 regression targets [channel, row, col], channels
/// (px − x1, py − y1, x2 − px, y2 − py); all zero for a negative pair.</param>
/// <param name="InnerCandidates">Cells strictly inside the inner ellipse (semi-axes w/4, h/4), ascending.</param>
/// <param name="OuterCandidates">Cells strictly outside the outer ellipse (semi-axes w/2, h/2), ascending
/// (computed for negative pairs too, though unused there).</param>
public sealed record PointLabels(int Size, long[] Cls, float[] Delta, int[] InnerCandidates, int[] OuterCandidates)
{
    /// <summary>Cells labelled 1, ascending.</summary>
    public int[] Positives => Enumerable.Range(0, Cls.Length).Where(i => Cls[i] == 1).ToArray();

    /// <summary>Cells labelled 0, ascending.</summary>
    public int[] Negatives => Enumerable.Range(0, Cls.Length).Where(i => Cls[i] == 0).ToArray();

    /// <summary><see cref="Cls"/> as an int64 (S, S) tensor.</summary>
    public Tensor ClsTensor(Device? device = null) => tensor(Cls, new long[] { Size, Size }, ScalarType.Int64).to(device ?? CPU);

    /// <summary><see cref="Delta"/> as a float32 (4, S, S) tensor.</summary>
    public Tensor DeltaTensor(Device? device = null) => tensor(Delta, new long[] { 4, Size, Size }, ScalarType.Float32).to(device ?? CPU);
}

/// <summary>
/// SiamBAN's point-based label generator. Grid point (row i, col j) sits at image pixel
/// <c>(c − (S/2)·stride + stride·j, c − (S/2)·stride + stride·i)</c> with <c>c = searchSize / 2</c> (integer division;
/// 31 … 223 for 255/25/8), i.e. search-image coordinates, not centre-relative as in the tracker.
/// Positive pair: cells strictly inside the ellipse with semi-axes (w/4, h/4) around the target centre are
/// positive (at most <see cref="PosNum"/>, a random subset otherwise), cells strictly outside the (w/2, h/2)
/// ellipse are negative (at most <see cref="TotalNum"/> − <see cref="PosNum"/>), the ring between is ignored.
/// Negative pair: only the inner-ellipse cells, labelled 0, at most <see cref="NegNum"/>; delta stays zero.
/// The ellipse tests run in float32 (the reference's float32 grid with float64 scalars under NumPy 1.x casting).
/// Subsets take the first k entries of a permutation from the injected <see cref="IPermutationSource"/>, which
/// is consulted only when there are more candidates than k (positives first, then negatives).
/// </summary>
public sealed class PointTarget
{
    public int Stride { get; }
    public int Size { get; }
    public int SearchSize { get; }
    public int PosNum { get; }
    public int TotalNum { get; }
    public int NegNum { get; }

    private readonly float[] _px;   // S·S point x (search px)
    private readonly float[] _py;

    /// <param name="stride">cfg.POINT.STRIDE (8).</param>
    /// <param name="size">cfg.TRAIN.OUTPUT_SIZE (25).</param>
    /// <param name="searchSize">cfg.TRAIN.SEARCH_SIZE (255).</param>
    /// <param name="posNum">cfg.TRAIN.POS_NUM (16).</param>
    /// <param name="totalNum">cfg.TRAIN.TOTAL_NUM (64).</param>
    /// <param name="negNum">cfg.TRAIN.NEG_NUM (16).</param>
    public PointTarget(int stride = 8, int size = 25, int searchSize = 255, int posNum = 16, int totalNum = 64, int negNum = 16)
    {
        if (stride <= 0 || size <= 0) throw new ArgumentOutOfRangeException(nameof(size), "stride and size must be positive");
        if (posNum < 0 || negNum < 0 || totalNum < posNum)
            throw new ArgumentOutOfRangeException(nameof(totalNum), $"need 0 <= posNum ({posNum}) <= totalNum ({totalNum}) and negNum ({negNum}) >= 0");
        (Stride, Size, SearchSize, PosNum, TotalNum, NegNum) = (stride, size, searchSize, posNum, totalNum, negNum);
        int origin = searchSize / 2 - size / 2 * stride;
        _px = new float[size * size];
        _py = new float[size * size];
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
            {
                _px[i * size + j] = origin + stride * j;
                _py[i * size + j] = origin + stride * i;
            }
    }

    /// <summary>The grid as float32 [2, S, S]: channel 0 = x, channel 1 = y (search-image pixels).</summary>
    public float[] Points => _px.Concat(_py).ToArray();

    /// <summary>Labels for <paramref name="target"/> (corners in search-image pixels).</summary>
    public PointLabels Compute(BoxXyxy target, bool negative, IPermutationSource permutations)
    {
        ArgumentNullException.ThrowIfNull(permutations);
        int n = Size * Size;
        var cls = new long[n];
        Array.Fill(cls, -1L);
        var delta = new float[4 * n];

        double tcx = (target.X1 + target.X2) / 2, tcy = (target.Y1 + target.Y2) / 2;
        double tw = target.X2 - target.X1, th = target.Y2 - target.Y1;
        float cx = (float)tcx, cy = (float)tcy;
        // np.square(float64 scalar) stays float64, then the float32 array division casts it to float32.
        float inX = (float)Square(tw / 4), inY = (float)Square(th / 4);
        float outX = (float)Square(tw / 2), outY = (float)Square(th / 2);

        var inner = new List<int>();
        var outer = new List<int>();
        for (int k = 0; k < n; k++)
        {
            float dx = cx - _px[k], dy = cy - _py[k];
            float sx = dx * dx, sy = dy * dy;
            if (sx / inX + sy / inY < 1f) inner.Add(k);
            if (sx / outX + sy / outY > 1f) outer.Add(k);
        }

        if (negative)
        {
            foreach (var k in Select(inner, NegNum, permutations)) cls[k] = 0;
            return new PointLabels(Size, cls, delta, inner.ToArray(), outer.ToArray());
        }

        float x1 = (float)target.X1, y1 = (float)target.Y1, x2 = (float)target.X2, y2 = (float)target.Y2;
        for (int k = 0; k < n; k++)
        {
            delta[k] = _px[k] - x1;
            delta[n + k] = _py[k] - y1;
            delta[2 * n + k] = x2 - _px[k];
            delta[3 * n + k] = y2 - _py[k];
        }
        var pos = Select(inner, PosNum, permutations);
        var neg = Select(outer, TotalNum - PosNum, permutations);
        foreach (var k in pos) cls[k] = 1;
        foreach (var k in neg) cls[k] = 0;
        return new PointLabels(Size, cls, delta, inner.ToArray(), outer.ToArray());
    }

    private static double Square(double v) => v * v;

    private static IEnumerable<int> Select(List<int> candidates, int keep, IPermutationSource permutations)
    {
        if (candidates.Count <= keep) return candidates;
        var perm = permutations.Permutation(candidates.Count);
        return perm.Take(keep).Select(i => candidates[i]);
    }
}
