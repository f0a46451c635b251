using System.Text.Json;

namespace TrackSharp.Tests.Evaluation.Pysot;

/// <summary>Paths and JSON helpers for ../shared/golden/metrics (non-finite numbers there are strings).</summary>
internal static class OpeGolden
{
    public static string Root => GoldenMetrics.Root;
    public static string Inputs => Path.Combine(Root, "inputs");
    public static string Outputs => Path.Combine(Root, "outputs");
    public static string ResultFile(string tracker, string seq) => Path.Combine(Inputs, "results", "ope", tracker, seq + ".txt");

    public static JsonElement Load(string file) => GoldenMetrics.Json(file);
    public static double Number(JsonElement e) => GoldenMetrics.Number(e);
    public static double[] Numbers(JsonElement e) => GoldenMetrics.Numbers(e);
    public static string[] Strings(JsonElement e) => GoldenMetrics.Strings(e);
    public static double Error(double expected, double actual) => GoldenMetrics.Error(expected, actual);

    public static double MaxError(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        if (expected.Count != actual.Count)
            throw new Xunit.Sdk.XunitException($"{what}: length {actual.Count} != expected {expected.Count}");
        double worst = 0;
        for (int i = 0; i < expected.Count; i++) worst = Math.Max(worst, Error(expected[i], actual[i]));
        return worst;
    }

    /// <summary>Asserts every element within <paramref name="tolerance"/>; returns the worst error.</summary>
    public static double AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance, string what)
    {
        double worst = MaxError(expected, actual, what);
        if (!(worst <= tolerance))
        {
            int i = Enumerable.Range(0, expected.Count).First(k => !(Error(expected[k], actual[k]) <= tolerance));
            throw new Xunit.Sdk.XunitException($"{what}: [{i}] expected {expected[i]:R}, got {actual[i]:R} (worst {worst:E3} > {tolerance:E1})");
        }
        return worst;
    }

    public static double AssertClose(double expected, double actual, double tolerance, string what) =>
        AssertClose(new[] { expected }, new[] { actual }, tolerance, what);
}
