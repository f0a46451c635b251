namespace TrackSharp.Detection.Data;

/// <summary>
/// The ground truth of one image as maskrcnn-benchmark's <c>BoxList</c> carries it for training: float32 boxes in
/// its inclusive-corner xyxy convention (TO_REMOVE = 1: a box covers <c>x2 - x1 + 1</c> pixels), contiguous labels
/// (1-based, 0 = background), the VOC "difficult" flags, and the image size the boxes refer to. The geometric
/// operations follow BoxList to the float32 bit: <see cref="Resize"/>, <see cref="FlipHorizontally"/>,
/// <see cref="ClipToImage"/>. Instances are immutable: operations return new targets.
/// </summary>
public sealed class DetectionTarget
{
    public DetectionTarget(float[] boxes, long[] labels, bool[]? difficult, int width, int height)
    {
        if (boxes.Length != 4 * labels.Length)
            throw new ArgumentException($"{boxes.Length} box coordinates for {labels.Length} labels (need 4 per label)");
        if (difficult is not null && difficult.Length != labels.Length)
            throw new ArgumentException($"{difficult.Length} difficult flags for {labels.Length} labels");
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size {width}x{height} must be positive");
        Boxes = boxes;
        Labels = labels;
        Difficult = difficult ?? new bool[labels.Length];
        Width = width;
        Height = height;
    }

    /// <summary>N x 4 row-major (x1, y1, x2, y2), float32, inclusive corners.</summary>
    public float[] Boxes { get; }
    public long[] Labels { get; }
    public bool[] Difficult { get; }
    public int Width { get; }
    public int Height { get; }
    public int Count => Labels.Length;

    /// <summary>
    /// <c>BoxList.resize</c> to a <paramref name="width"/> x <paramref name="height"/> image: each axis scaled by its
    /// own ratio <c>new / old</c> (computed in double, applied in float32 as torch multiplies a float32 tensor by a
    /// Python float), no +1 correction.
    /// </summary>
    public DetectionTarget Resize(int width, int height)
    {
        float rw = (float)((double)width / Width), rh = (float)((double)height / Height);
        var b = new float[Boxes.Length];
        for (int i = 0; i < b.Length; i += 4)
        {
            b[i] = Boxes[i] * rw;
            b[i + 1] = Boxes[i + 1] * rh;
            b[i + 2] = Boxes[i + 2] * rw;
            b[i + 3] = Boxes[i + 3] * rh;
        }
        return new DetectionTarget(b, Labels, Difficult, width, height);
    }

    /// <summary><c>BoxList.transpose(FLIP_LEFT_RIGHT)</c>: <c>x1' = W - x2 - 1</c>, <c>x2' = W - x1 - 1</c> (float32).</summary>
    public DetectionTarget FlipHorizontally()
    {
        var b = (float[])Boxes.Clone();
        float w = Width;
        for (int i = 0; i < b.Length; i += 4)
        {
            b[i] = w - Boxes[i + 2] - 1f;
            b[i + 2] = w - Boxes[i] - 1f;
        }
        return new DetectionTarget(b, Labels, Difficult, Width, Height);
    }

    /// <summary>
    /// <c>BoxList.clip_to_image</c>: x clamped to <c>[0, W - 1]</c>, y to <c>[0, H - 1]</c>; with
    /// <paramref name="removeEmpty"/> only boxes with <c>x2 &gt; x1</c> and <c>y2 &gt; y1</c> stay (so a COCO box of width
    /// 1 or less, whose inclusive x2 equals x1, is dropped).
    /// </summary>
    public DetectionTarget ClipToImage(bool removeEmpty = true)
    {
        float maxX = Width - 1, maxY = Height - 1;
        var boxes = new List<float>(Boxes.Length);
        var labels = new List<long>(Count);
        var difficult = new List<bool>(Count);
        for (int n = 0; n < Count; n++)
        {
            float x1 = Math.Clamp(Boxes[4 * n], 0f, maxX), y1 = Math.Clamp(Boxes[4 * n + 1], 0f, maxY);
            float x2 = Math.Clamp(Boxes[4 * n + 2], 0f, maxX), y2 = Math.Clamp(Boxes[4 * n + 3], 0f, maxY);
            if (removeEmpty && !(y2 > y1 && x2 > x1)) continue;
            boxes.AddRange([x1, y1, x2, y2]);
            labels.Add(Labels[n]);
            difficult.Add(Difficult[n]);
        }
        return new DetectionTarget(boxes.ToArray(), labels.ToArray(), difficult.ToArray(), Width, Height);
    }
}
