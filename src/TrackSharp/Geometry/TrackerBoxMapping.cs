namespace TrackSharp.Geometry;

/// <summary>
/// OSTrack's tracker-side box maps (<c>lib/test/tracker/ostrack.py</c> and <c>lib/utils/box_ops.clip_box</c>):
/// from a prediction in the search crop back to the frame, and the final clipping. Pixel-centre convention: box
/// centres are <c>xy + wh/2</c> (no -1), crops are centred on the previous state's centre.
/// </summary>
public static class TrackerBoxMapping
{
    /// <summary>
    /// <c>(pred_boxes.mean(0) * search_size / resize_factor)</c>: a box predicted as cxcywh normalised to the
    /// search crop, scaled to frame pixels (still relative to the crop) in <b>float32</b> as the reference does
    /// (the box is float32, the resize factor is rounded to float32, two float32 operations).
    /// </summary>
    public static BoxCxcywh ScaleNormalizedToPixels(BoxCxcywh normalized, int searchSize, double resizeFactor)
    {
        float rf = (float)resizeFactor, s = searchSize;
        static float Scale(double v, float s, float rf) => (float)v * s / rf;
        return new BoxCxcywh(Scale(normalized.Cx, s, rf), Scale(normalized.Cy, s, rf),
            Scale(normalized.Width, s, rf), Scale(normalized.Height, s, rf));
    }

    /// <summary>
    /// <c>map_box_back</c>: a cxcywh box in crop-relative frame pixels (the output of
    /// <see cref="ScaleNormalizedToPixels"/>) to an xywh box in the frame, for a search crop centred on
    /// <paramref name="state"/> (float64: <c>cx = cx_pred + (state.cx - 0.5*searchSize/resizeFactor)</c>).
    /// </summary>
    public static BoxXywh MapBoxBack(BoxXywh state, BoxCxcywh predicted, double resizeFactor, int searchSize)
    {
        double cxPrev = state.X + 0.5 * state.Width, cyPrev = state.Y + 0.5 * state.Height;
        double halfSide = 0.5 * searchSize / resizeFactor;
        double cx = predicted.Cx + (cxPrev - halfSide), cy = predicted.Cy + (cyPrev - halfSide);
        return new BoxXywh(cx - 0.5 * predicted.Width, cy - 0.5 * predicted.Height, predicted.Width, predicted.Height);
    }

    /// <summary>
    /// <c>clip_box(box, H, W, margin)</c> (float64): <c>x1 = min(max(0, x1), W - margin)</c>,
    /// <c>x2 = min(max(margin, x2), W)</c> (same for y), <c>w = max(margin, x2 - x1)</c>,
    /// <c>h = max(margin, y2 - y1)</c>. The result is never smaller than <paramref name="margin"/> and may still
    /// extend past the image by up to <paramref name="margin"/> pixels.
    /// </summary>
    public static BoxXywh ClipBox(BoxXywh box, int imageHeight, int imageWidth, double margin = 0)
    {
        double x2 = box.X + box.Width, y2 = box.Y + box.Height;
        double x1 = Math.Min(Math.Max(0, box.X), imageWidth - margin);
        x2 = Math.Min(Math.Max(margin, x2), imageWidth);
        double y1 = Math.Min(Math.Max(0, box.Y), imageHeight - margin);
        y2 = Math.Min(Math.Max(margin, y2), imageHeight);
        return new BoxXywh(x1, y1, Math.Max(margin, x2 - x1), Math.Max(margin, y2 - y1));
    }
}
