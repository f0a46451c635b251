namespace TrackSharp.Evaluation.Vot;

/// <summary>
/// region.c's <c>region_bounds</c> (float32 fields). pysot's <c>vot_overlap(p, g, bounds)</c> maps a 2-tuple
/// <c>(w, h)</c> to <c>top = 0, bottom = h, left = 0, right = w</c> and no bounds to ±infinity.
/// </summary>
public readonly record struct RegionBounds(float Left, float Top, float Right, float Bottom)
{
    /// <summary>No clipping (pysot <c>bounds=None</c>).</summary>
    public static RegionBounds None { get; } =
        new(float.NegativeInfinity, float.NegativeInfinity, float.PositiveInfinity, float.PositiveInfinity);

    /// <summary>pysot's <c>bounds=(width, height)</c>: the window [0, width] x [0, height] (both ends included).</summary>
    public static RegionBounds FromSize(double width, double height) => new(0f, 0f, (float)width, (float)height);
}
