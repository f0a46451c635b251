using System.Globalization;

namespace TrackSharp.Evaluation.Runs;

/// <summary>
/// Numbers written the way <c>numpy.savetxt(fmt='%.Nf')</c> writes them, so files match what the official toolkits
/// themselves write: fixed decimals (correctly rounded, invariant culture), <c>nan</c>, <c>inf</c>, <c>-inf</c>.
/// </summary>
public static class NumpyText
{
    /// <summary><paramref name="value"/> as C's <c>%.{decimals}f</c>.</summary>
    public static string Fixed(double value, int decimals) =>
        double.IsNaN(value) ? "nan"
        : double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>One row: the values in <c>%.{decimals}f</c> joined by commas (<c>delimiter=','</c>).</summary>
    public static string Row(IEnumerable<double> values, int decimals) =>
        string.Join(",", values.Select(v => Fixed(v, decimals)));
}
