using TrackSharp.Geometry;

namespace TrackSharp.Detection;

/// <summary>
/// One detection in maskrcnn-benchmark's xyxy convention: pixel-inclusive corners, so the box covers
/// <c>x2 - x1 + 1</c> pixels horizontally (TO_REMOVE = 1 for widths, areas and IoU). Coordinates are the float32
/// values the reference computes; <see cref="Label"/> is the contiguous class id (1-based, 0 = background).
/// </summary>
public readonly record struct DetectedBox(float X1, float Y1, float X2, float Y2, float Score, long Label)
{
    /// <summary>Width with the +1 convention (<c>x2 - x1 + 1</c>, as maskrcnn-benchmark's <c>convert("xywh")</c>).</summary>
    public float InclusiveWidth => X2 - X1 + 1f;

    /// <summary>Height with the +1 convention.</summary>
    public float InclusiveHeight => Y2 - Y1 + 1f;

    /// <summary>The corners as a <see cref="BoxXyxy"/> (same numbers; the +1 convention stays the caller's to apply).</summary>
    public BoxXyxy Box => new(X1, Y1, X2, Y2);
}
