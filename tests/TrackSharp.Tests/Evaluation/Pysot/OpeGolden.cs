using System.Globalization;
using System.Text.Json;

namespace TrackSharp.Tests.Evaluation.Pysot;

/// <summary>Paths and JSON helpers for ../shared/golden/metrics (non-finite numbers there are strings).</summary>
internal static class OpeGolden
{
    public static string Root => Path.Combine(TestPaths.Shared, "golden", "metrics");
    public static string Inputs => Path.Combine(Root, "inputs");
    public static string Outputs => Path.Combine(Root, "outputs");
    public static string ResultFile(string tracker, string seq) => Path.Combine(Inputs, "results", "ope", tracker, seq + ".txt");

    private static readonly Dictionary<string, JsonDocument> Cache = new();

    public static JsonElement Load(string file)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(file, out var doc))
                Cache[file] = doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Outputs, file)));
            return doc.RootElement;
        }
    }

    public static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? double.Parse(e.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
        : e.GetDouble();

    public static double[] Numbers(JsonElement e) => e.EnumerateArray().Select(Number).ToArray();

    public static string[] Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();

    /// <summary>|a - e| with NaN == NaN and equal infinities counted as 0.</summary>
    public static double Error(double expected, double actual)
    {
        if (double.IsNaN(expected) && double.IsNaN(actual)) return 0;
        if (expected == actual) return 0;
        return double.IsFinite(expected) && double.IsFinite(actual) ? Math.Abs(expected - actual) : double.PositiveInfinity;
    }

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
