using TrackSharp.Geometry;
using static TorchSharp.torch;

namespace TrackSharp.Data.Targets;

/// <summary>
/// SiamFC++ training labels on the N = S·S score-map points, flattened row-major (<c>i = row·S + col</c>).
/// </summary>
/// <param name="ScoreSize">S (17 for the AlexNet model at x 303).</param>
/// <param name="Cls">N float32 classification labels: the class of the box that owns the point (1 for
/// tracking), 0 background; for a negative pair 0 → −1 (ignored) and 1 → 0.</param>
/// <param name="Ctr">N float32 centerness targets (0 where no box owns the point).</param>
/// <param name="Box">N·4 float32 [point, (x0, y0, x1, y1)]: the ABSOLUTE owning box in crop pixels, zeros where none.</param>
public sealed record DenseboxLabels(int ScoreSize, float[] Cls, float[] Ctr, float[] Box)
{
    /// <summary>(N, 1) float32, the reference's <c>cls_gt</c> layout.</summary>
    public Tensor ClsTensor(Device? device = null) => tensor(Cls, new long[] { Cls.Length, 1 }, ScalarType.Float32).to(device ?? CPU);

    /// <summary>(N, 1) float32, <c>ctr_gt</c>.</summary>
    public Tensor CtrTensor(Device? device = null) => tensor(Ctr, new long[] { Ctr.Length, 1 }, ScalarType.Float32).to(device ?? CPU);

    /// <summary>(N, 4) float32, <c>box_gt</c>.</summary>
    public Tensor BoxTensor(Device? device = null) => tensor(Box, new long[] { Ctr.Length, 4 }, ScalarType.Float32).to(device ?? CPU);
}

/// <summary>
/// SiamFC++'s dense-box target (videoanalyst <c>DenseboxTarget</c> / <c>make_densebox_target</c>).
/// Score-map point (row i, col j) sits at crop pixel <c>(offset + stride·j, offset + stride·i)</c> with
/// <c>S = (xSize − zSize) / stride + 1 − 2·numConv3x3</c> and <c>offset = (xSize − 1 − (S − 1)·stride) / 2</c>
/// (17 and 87 for 127/303/8/3). Rules: a dummy box (0,0,0,0) class 0 is prepended, boxes are ordered by
/// <c>|(x1−x0)(y1−y0)|</c> (no +1) ascending (stable here; the reference's argsort is not, which only matters
/// for equal areas), and each point takes the first box whose offsets l = x−x0, t = y−y0, r = x1−x, b = y1−y
/// are all strictly positive, else the dummy. Centerness
/// <c>sqrt(|min(l,r)·min(t,b) / (max(l,r)·max(t,b) + 1e-5)|)</c>. All arithmetic in float32 (the boxes enter
/// as float32).
/// </summary>
public sealed class DenseboxTarget
{
    public int ScoreSize { get; }
    public int ScoreOffset { get; }
    public int TotalStride { get; }

    /// <param name="scoreSize">S (17).</param>
    /// <param name="scoreOffset">Pixel of the first point (87).</param>
    /// <param name="totalStride">Pixels between points (8).</param>
    public DenseboxTarget(int scoreSize = 17, int scoreOffset = 87, int totalStride = 8)
    {
        if (scoreSize <= 0 || totalStride <= 0)
            throw new ArgumentOutOfRangeException(nameof(scoreSize), $"score size ({scoreSize}) and stride ({totalStride}) must be positive");
        (ScoreSize, ScoreOffset, TotalStride) = (scoreSize, scoreOffset, totalStride);
    }

    /// <summary>The geometry videoanalyst derives from its hyper-parameters (z 127, x 303, stride 8, 3 convs → 17, 87).</summary>
    public static DenseboxTarget FromSizes(int zSize = 127, int xSize = 303, int totalStride = 8, int numConv3x3 = 3)
    {
        int s = (xSize - zSize) / totalStride + 1 - numConv3x3 * 2;
        int offset = (xSize - 1 - (s - 1) * totalStride) / 2;
        return new DenseboxTarget(s, offset, totalStride);
    }

    /// <summary>
    /// <c>DenseboxTarget</c> for one training pair: the search box (crop pixels, class 1) and whether the pair is
    /// negative (then cls 0 → −1, 1 → 0; ctr/box untouched).
    /// </summary>
    public DenseboxLabels ForPair(BoxXyxy searchBox, bool negativePair)
    {
        var labels = Make(new[] { (searchBox, 1f) });
        if (negativePair)
            for (int i = 0; i < labels.Cls.Length; i++)
                labels.Cls[i] = labels.Cls[i] switch { 0f => -1f, 1f => 0f, var c => c };
        return labels;
    }

    /// <summary><c>make_densebox_target</c> for boxes (x0, y0, x1, y1 in crop pixels, rounded to float32) with their classes.</summary>
    public DenseboxLabels Make(IReadOnlyList<(BoxXyxy Box, float Class)> boxes)
    {
        int m = boxes.Count + 1;
        var b = new float[m, 5]; // row 0 = dummy
        for (int k = 0; k < boxes.Count; k++)
        {
            var (box, c) = boxes[k];
            b[k + 1, 0] = (float)box.X1; b[k + 1, 1] = (float)box.Y1;
            b[k + 1, 2] = (float)box.X2; b[k + 1, 3] = (float)box.Y2;
            b[k + 1, 4] = c;
        }
        var area = new float[m];
        for (int k = 0; k < m; k++) area[k] = MathF.Abs((b[k, 2] - b[k, 0]) * (b[k, 3] - b[k, 1]));
        var order = Enumerable.Range(0, m).OrderBy(k => area[k]).ToArray(); // stable

        int s = ScoreSize, n = s * s;
        var cls = new float[n];
        var ctr = new float[n];
        var outBox = new float[4 * n];
        for (int i = 0; i < s; i++)
            for (int j = 0; j < s; j++)
            {
                float x = ScoreOffset + TotalStride * j, y = ScoreOffset + TotalStride * i;
                int p = i * s + j;
                foreach (int k in order)
                {
                    if (k == 0) continue; // the dummy (0,0,0,0) never owns a point
                    float l = x - b[k, 0], t = y - b[k, 1], r = b[k, 2] - x, bt = b[k, 3] - y;
                    if (!(l > 0 && t > 0 && r > 0 && bt > 0)) continue;
                    cls[p] = b[k, 4];
                    float ratio = Math.Min(l, r) * Math.Min(t, bt) / (Math.Max(l, r) * Math.Max(t, bt) + 1e-5f);
                    ctr[p] = MathF.Sqrt(MathF.Abs(ratio));
                    for (int q = 0; q < 4; q++) outBox[4 * p + q] = b[k, q];
                    break;
                }
            }
        return new DenseboxLabels(s, cls, ctr, outBox);
    }
}
