namespace TrackSharp.Geometry;

/// <summary>
/// Python's built-in <c>min(a, b)</c> and <c>max(a, b)</c> on floats, which the reference trackers use to clip their
/// state. They differ from <see cref="Math.Min(double, double)"/> only with NaN: Python keeps the first argument
/// unless the second compares smaller (larger), so a NaN becomes whichever bound the expression puts first —
/// <c>max(0, min(nan, w))</c> is 0 but <c>max(0, min(w, nan))</c> is w — where .NET would propagate the NaN into
/// the next crop. Write the clip in the reference's argument order.
/// </summary>
public static class PyMinMax
{
    /// <summary><c>min(a, b)</c>: <paramref name="b"/> when <c>b &lt; a</c>, else <paramref name="a"/>.</summary>
    public static double Min(double a, double b) => b < a ? b : a;

    /// <summary><c>max(a, b)</c>: <paramref name="b"/> when <c>b &gt; a</c>, else <paramref name="a"/>.</summary>
    public static double Max(double a, double b) => b > a ? b : a;
}
