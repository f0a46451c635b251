namespace TrackSharp.Detection.Data;

/// <summary>
/// A box as COCO files store it: <c>[x, y, w, h]</c> in double, top-left corner and size, no +1 anywhere (the right
/// edge is <c>x + w</c>). This is the convention of pycocotools' IoU; maskrcnn-benchmark's inclusive xyxy boxes are
/// derived from it with <c>x2 = x + max(w - 1, 0)</c> when a dataset is read for training.
/// </summary>
public readonly record struct CocoBox(double X, double Y, double W, double H)
{
    /// <summary><c>w * h</c>, the area pycocotools gives a detection (<c>loadRes</c>).</summary>
    public double Area => W * H;
}
