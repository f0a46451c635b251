using Xunit.Sdk;

namespace TrackSharp.Tests;

/// <summary>Element-wise closeness with a mixed tolerance: |a - e| &lt;= tol * max(1, |e|).</summary>
internal static class Tolerance
{
    public static double MaxMixedError(IReadOnlyList<float> expected, IReadOnlyList<float> actual)
    {
        if (expected.Count != actual.Count) throw new XunitException($"length {actual.Count} != expected {expected.Count}");
        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / Math.Max(1.0, Math.Abs(expected[i])));
        return worst;
    }

    public static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, double tolerance, string what)
    {
        double worst = MaxMixedError(expected, actual);
        if (!(worst <= tolerance))
            throw new XunitException($"{what}: max error {worst:E3} exceeds {tolerance:E1}");
    }

    public static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance, string what)
    {
        if (expected.Count != actual.Count) throw new XunitException($"{what}: length {actual.Count} != expected {expected.Count}");
        for (int i = 0; i < expected.Count; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]) / Math.Max(1.0, Math.Abs(expected[i]));
            if (!(err <= tolerance))
                throw new XunitException($"{what}[{i}]: {actual[i]} vs expected {expected[i]} (error {err:E3} > {tolerance:E1})");
        }
    }
}
