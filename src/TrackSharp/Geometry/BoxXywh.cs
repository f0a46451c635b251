using System.Globalization;

namespace TrackSharp.Geometry;

/// <summary>
/// An axis-aligned box in pixels as (left, top, width, height), the convention of every tracking benchmark's
/// annotation files. Pixel-centre convention: the first pixel's centre is (0, 0) and a box of width w covers
/// x .. x + w; trackers that use the (w - 1) / 2 centre rule say so where they convert.
/// </summary>
public readonly record struct BoxXywh(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;
    public double Bottom => Y + Height;
    public double CenterX => X + Width / 2;
    public double CenterY => Y + Height / 2;
    public double Area => Math.Max(0, Width) * Math.Max(0, Height);

    /// <summary>True when the box has positive, finite width and height.</summary>
    public bool IsValid => Width > 0 && Height > 0 && double.IsFinite(X) && double.IsFinite(Y)
                           && double.IsFinite(Width) && double.IsFinite(Height);

    public BoxXyxy ToXyxy() => new(X, Y, X + Width, Y + Height);

    /// <summary>Intersection over union with another box (0 when either box is empty).</summary>
    public double IoU(BoxXywh other)
    {
        double ix = Math.Max(0, Math.Min(Right, other.Right) - Math.Max(X, other.X));
        double iy = Math.Max(0, Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y));
        double inter = ix * iy;
        double union = Area + other.Area - inter;
        return union > 0 ? inter / union : 0;
    }

    /// <summary>True when the box overlaps the image rectangle [0, width) x [0, height) by any area.</summary>
    public bool Intersects(int imageWidth, int imageHeight) =>
        Right > 0 && Bottom > 0 && X < imageWidth && Y < imageHeight;

    /// <summary>"x,y,w,h" with invariant culture and round-trip precision trimmed to 4 decimals.</summary>
    public override string ToString() => string.Join(",",
        new[] { X, Y, Width, Height }.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)));

    /// <summary>Parses "x,y,w,h" (comma, tab or space separated).</summary>
    /// <exception cref="FormatException">With a message that quotes the text.</exception>
    public static BoxXywh Parse(string text)
    {
        var parts = text.Split(new[] { ',', '\t', ' ' }, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4)
            throw new FormatException($"expected a box as x,y,w,h (4 numbers), got '{text}'");
        var v = new double[4];
        for (int i = 0; i < 4; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]))
                throw new FormatException($"'{parts[i]}' in box '{text}' is not a number");
        return new BoxXywh(v[0], v[1], v[2], v[3]);
    }
}
