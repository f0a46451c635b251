using System.Globalization;
using OpenCvSharp;
using TrackSharp.Geometry;

namespace TrackSharp.Imaging;

/// <summary>
/// Draws tracking results onto BGR frames: boxes, labels with score, a "lost" style and a frame/FPS overlay.
/// Pixel convention: a <see cref="BoxXywh"/> covers x .. x + w, so the drawn outline runs along pixel columns
/// round(x) and round(x + w) - 1 (rows likewise), i.e. the outermost pixels inside the box. Everything is
/// clipped to the image; an invalid box (zero or non-finite size) draws nothing.
/// </summary>
public static class Annotator
{
    private const HersheyFonts Font = HersheyFonts.HersheySimplex;
    private const int DashLength = 6;
    private const int GapLength = 4;
    private const int LabelPadding = 3;

    /// <summary>Outlines <paramref name="box"/>; <paramref name="dashed"/> draws dashes (used for lost targets).</summary>
    public static void DrawBox(Mat image, BoxXywh box, Scalar color, int thickness = 2, bool dashed = false)
    {
        RequireImage(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(thickness, 1);
        if (!TryPixelRect(box, out int x0, out int y0, out int x1, out int y1)) return;
        if (!dashed)
        {
            Cv2.Rectangle(image, new Point(x0, y0), new Point(x1, y1), color, thickness, LineTypes.Link8);
            return;
        }
        DrawDashedLine(image, new Point(x0, y0), new Point(x1, y0), color, thickness);
        DrawDashedLine(image, new Point(x1, y0), new Point(x1, y1), color, thickness);
        DrawDashedLine(image, new Point(x1, y1), new Point(x0, y1), color, thickness);
        DrawDashedLine(image, new Point(x0, y1), new Point(x0, y0), color, thickness);
    }

    /// <summary>
    /// Writes <paramref name="text"/> on a filled rectangle of <paramref name="background"/> colour, just above
    /// the box's top-left corner, or just inside the box when there is no room above. The text is black or white,
    /// whichever reads better on the background.
    /// </summary>
    public static void DrawLabel(Mat image, BoxXywh box, string text, Scalar background, double fontScale = 0.5)
    {
        RequireImage(image);
        if (string.IsNullOrEmpty(text) || !TryPixelRect(box, out int x0, out int y0, out _, out _)) return;
        var textSize = Cv2.GetTextSize(text, Font, fontScale, 1, out int baseline);
        int width = textSize.Width + 2 * LabelPadding;
        int height = textSize.Height + baseline + 2 * LabelPadding;
        int top = y0 - height >= 0 ? y0 - height : Math.Max(y0, 0);
        int left = Math.Clamp(x0, 0, Math.Max(0, image.Cols - width));
        Cv2.Rectangle(image, new Rect(left, top, width, height), background, -1);
        Cv2.PutText(image, text, new Point(left + LabelPadding, top + LabelPadding + textSize.Height),
            Font, fontScale, TextColorOn(background), 1, LineTypes.AntiAlias);
    }

    /// <summary>
    /// Box and label of one target in the style of its index: the palette colour and a solid outline, or, when
    /// <paramref name="lost"/>, a dashed red outline and "LOST" in place of the score.
    /// </summary>
    public static void DrawTarget(Mat image, BoxXywh box, int targetIndex, string? name = null, double? score = null,
        bool lost = false, int thickness = 2)
    {
        var color = lost ? TargetPalette.Lost : TargetPalette.ColorFor(targetIndex);
        DrawBox(image, box, color, thickness, dashed: lost);
        DrawLabel(image, box, FormatLabel(name, score, lost), color);
    }

    /// <summary>"name 0.93", "name LOST", "0.93" or "LOST" (score with two decimals, invariant culture).</summary>
    public static string FormatLabel(string? name, double? score, bool lost)
    {
        string? value = lost ? "LOST" : score?.ToString("0.00", CultureInfo.InvariantCulture);
        return string.Join(" ", new[] { name, value }.Where(s => !string.IsNullOrEmpty(s)));
    }

    /// <summary>Top-left overlay "frame 12/196  25.0 fps" on a dark background (parts that are unknown are left out).</summary>
    public static void DrawFrameInfo(Mat image, int frameIndex, double? fps = null, int? frameCount = null,
        double fontScale = 0.6)
    {
        RequireImage(image);
        string text = FormatFrameInfo(frameIndex, fps, frameCount);
        var textSize = Cv2.GetTextSize(text, Font, fontScale, 1, out int baseline);
        var background = new Rect(0, 0, textSize.Width + 2 * LabelPadding, textSize.Height + baseline + 2 * LabelPadding);
        Cv2.Rectangle(image, background, Scalar.Black, -1);
        Cv2.PutText(image, text, new Point(LabelPadding, LabelPadding + textSize.Height), Font, fontScale,
            Scalar.White, 1, LineTypes.AntiAlias);
    }

    /// <summary>The text of <see cref="DrawFrameInfo"/>.</summary>
    public static string FormatFrameInfo(int frameIndex, double? fps = null, int? frameCount = null)
    {
        var ci = CultureInfo.InvariantCulture;
        string text = frameCount is int n ? $"frame {frameIndex.ToString(ci)}/{n.ToString(ci)}" : $"frame {frameIndex.ToString(ci)}";
        return fps is double f && double.IsFinite(f) ? $"{text}  {f.ToString("0.0", ci)} fps" : text;
    }

    /// <summary>
    /// Inclusive pixel corners of <paramref name="box"/>; false for an invalid box or one that rounds to nothing.
    /// Coordinates are limited to ±1e6 so a diverged tracker cannot overflow the int conversion.
    /// </summary>
    internal static bool TryPixelRect(BoxXywh box, out int x0, out int y0, out int x1, out int y1)
    {
        x0 = y0 = x1 = y1 = 0;
        if (!box.IsValid) return false;
        x0 = ToPixel(box.X);
        y0 = ToPixel(box.Y);
        x1 = ToPixel(box.Right) - 1;
        y1 = ToPixel(box.Bottom) - 1;
        return x1 >= x0 && y1 >= y0;
    }

    private static int ToPixel(double v) => (int)Math.Round(Math.Clamp(v, -1e6, 1e6), MidpointRounding.AwayFromZero);

    private static void DrawDashedLine(Mat image, Point from, Point to, Scalar color, int thickness)
    {
        double dx = to.X - from.X, dy = to.Y - from.Y;
        double length = Math.Sqrt(dx * dx + dy * dy);
        if (length < 1)
        {
            Cv2.Line(image, from, to, color, thickness, LineTypes.Link8);
            return;
        }
        for (double start = 0; start <= length; start += DashLength + GapLength)
        {
            double end = Math.Min(start + DashLength - 1, length);
            var a = new Point(from.X + (int)Math.Round(dx * start / length), from.Y + (int)Math.Round(dy * start / length));
            var b = new Point(from.X + (int)Math.Round(dx * end / length), from.Y + (int)Math.Round(dy * end / length));
            Cv2.Line(image, a, b, color, thickness, LineTypes.Link8);
        }
    }

    /// <summary>Black on light backgrounds, white on dark ones (ITU-R BT.601 luma of the BGR colour).</summary>
    private static Scalar TextColorOn(Scalar bgr) =>
        0.114 * bgr.Val0 + 0.587 * bgr.Val1 + 0.299 * bgr.Val2 > 128 ? Scalar.Black : Scalar.White;

    private static void RequireImage(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty()) throw new ArgumentException("cannot draw on an empty image", nameof(image));
    }
}
