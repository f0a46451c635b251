using System.Globalization;

namespace TrackSharp.Cli.Infrastructure;

/// <summary>Numbers as the CLI prints them: invariant culture, whatever the machine's locale.</summary>
internal static class Invariant
{
    /// <summary>The value formatted with <paramref name="format"/> (e.g. "F2") in the invariant culture.</summary>
    public static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
