namespace TrackSharp.Evaluation.Vot;

/// <summary>
/// The C operations of pysot's <c>toolkit/utils/src/region.c</c> whose results differ from the obvious C# spelling
/// when NaN or infinities appear. Keeping them literal is what makes a NaN box give 0 and <c>[0,0,0,0]</c> vs
/// <c>[0,0,0,0]</c> give NaN, exactly as the compiled toolkit does.
/// </summary>
internal static class CSemantics
{
    /// <summary>region.c <c>MIN(a, b)</c> = <c>(a) &lt; (b) ? (a) : (b)</c>: with a NaN operand the result is <paramref name="b"/>.</summary>
    public static float Min(float a, float b) => a < b ? a : b;

    /// <summary>region.c <c>MAX(a, b)</c> = <c>(a) &gt; (b) ? (a) : (b)</c>: with a NaN operand the result is <paramref name="b"/>.</summary>
    public static float Max(float a, float b) => a > b ? a : b;

    /// <summary>
    /// C's <c>(int)</c> cast as compiled for x86-64 (<c>cvttss2si</c>/<c>cvttsd2si</c>): truncation toward zero, and the
    /// "integer indefinite" value <see cref="int.MinValue"/> for NaN and out-of-range inputs. .NET saturates instead
    /// (NaN -> 0), which would turn an unbounded NaN region into a 1x1 raster window.
    /// </summary>
    public static int ToInt(double value)
    {
        if (double.IsNaN(value)) return int.MinValue;
        double t = Math.Truncate(value);
        if (t < int.MinValue || t > int.MaxValue) return int.MinValue;
        return (int)t;
    }

    /// <summary>C99 <c>round</c>: half away from zero (NaN stays NaN).</summary>
    public static double Round(double value) => Math.Round(value, MidpointRounding.AwayFromZero);
}
