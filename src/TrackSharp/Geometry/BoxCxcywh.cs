namespace TrackSharp.Geometry;

/// <summary>A box as centre and size (cx, cy, w, h). Units are given by the producer (pixels or normalised).</summary>
public readonly record struct BoxCxcywh(double Cx, double Cy, double Width, double Height)
{
    public BoxXywh ToXywh() => new(Cx - Width / 2, Cy - Height / 2, Width, Height);
}
