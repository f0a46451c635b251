using System.Text.Json;
using Xunit.Sdk;

namespace TrackSharp.Tests.Evaluation;

/// <summary>
/// Access to golden/metrics (inputs and the toolkits' outputs) for the evaluation parity tests.
/// Non-finite numbers in the JSON are the strings "NaN" / "Infinity" / "-Infinity".
/// </summary>
internal static class GoldenMetrics
{
    /// <summary>The parity tolerance the brief asks for (absolute, on the scale each value is stored in).</summary>
    public const double Tolerance = 1e-6;

    public static string Root { get; } = Path.Combine(TestPaths.Shared, "golden", "metrics");
    public static string Inputs(params string[] parts) => Path.Combine(new[] { Root, "inputs" }.Concat(parts).ToArray());
    public static string Outputs(string file) => Path.Combine(Root, "outputs", file);
    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    /// <summary>A fresh document (the caller disposes it) for a path relative to golden/metrics.</summary>
    public static JsonDocument Load(string relativePath) => JsonDocument.Parse(System.IO.File.ReadAllText(PathOf(relativePath)));

    /// <summary>Equal as doubles, NaN equal to NaN, or within <paramref name="tolerance"/>.</summary>
    public static bool Close(double expected, double actual, double tolerance) =>
        double.IsNaN(expected) ? double.IsNaN(actual) : Math.Abs(expected - actual) <= tolerance;

    private static readonly Dictionary<string, JsonDocument> Cache = new();

    public static JsonElement Json(string file)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(file, out var doc))
                Cache[file] = doc = JsonDocument.Parse(System.IO.File.ReadAllText(Outputs(file)));
            return doc.RootElement;
        }
    }

    public static double Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => throw new XunitException($"unexpected string number '{s}'"),
        },
        _ => throw new XunitException($"expected a number, got {e.ValueKind}"),
    };

    public static double[] Numbers(JsonElement e) => e.EnumerateArray().Select(Number).ToArray();

    public static string[] Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();

    /// <summary>Absolute error, with NaN == NaN and equal infinities counting as exact.</summary>
    public static double Error(double expected, double actual)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
            return double.IsNaN(expected) && double.IsNaN(actual) ? 0 : double.PositiveInfinity;
        if (double.IsInfinity(expected) || double.IsInfinity(actual))
            return expected == actual ? 0 : double.PositiveInfinity;
        return Math.Abs(expected - actual);
    }

    /// <summary>Asserts closeness and returns the error so a test can report the worst one.</summary>
    public static double AssertClose(double expected, double actual, string what, double tolerance = Tolerance)
    {
        double err = Error(expected, actual);
        if (!(err <= tolerance))
            throw new XunitException($"{what}: {actual:R} vs expected {expected:R} (error {err:E3} > {tolerance:E1})");
        return err;
    }

    public static double AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what,
        double tolerance = Tolerance)
    {
        if (expected.Count != actual.Count)
            throw new XunitException($"{what}: length {actual.Count} != expected {expected.Count}");
        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
            worst = Math.Max(worst, AssertClose(expected[i], actual[i], $"{what}[{i}]", tolerance));
        return worst;
    }
}
