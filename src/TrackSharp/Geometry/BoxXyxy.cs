namespace TrackSharp.Geometry;

/// <summary>A box as corners (x1, y1, x2, y2) in pixels; x2/y2 are exclusive edges (x2 = x1 + width).</summary>
public readonly record struct BoxXyxy(double X1, double Y1, double X2, double Y2)
{
    public double Width => X2 - X1;
    public double Height => Y2 - Y1;
    public BoxXywh ToXywh() => new(X1, Y1, X2 - X1, Y2 - Y1);
}
