using System.Globalization;

namespace TrackSharp.Cli.Benchmarks;

/// <summary>The machine's one-minute load average, recorded beside figures measured on a shared machine.</summary>
internal static class LoadAverage
{
    /// <summary>The first field of <c>/proc/loadavg</c>, or null where there is none (not Linux) or it cannot be read.</summary>
    public static double? Read()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
