using System.Text.Json;

namespace TrackSharp.Tests.Evaluation.Vot;

/// <summary>Reads shared/golden/metrics JSON, where non-finite numbers are the strings "NaN", "Infinity", "-Infinity".</summary>
internal static class GoldenJson
{
    public static string MetricsFile(string name) => Path.Combine(TestPaths.Shared, "golden", "metrics", name);

    public static JsonDocument Load(string relativePath) =>
        JsonDocument.Parse(File.ReadAllText(MetricsFile(relativePath)));

    public static double Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => throw new FormatException($"not a number: {s}"),
        },
        _ => throw new FormatException($"not a number: {e}"),
    };

    public static double[] Numbers(JsonElement e) => e.EnumerateArray().Select(Number).ToArray();

    /// <summary>Equal as doubles, NaN equal to NaN, or within <paramref name="tolerance"/>.</summary>
    public static bool Close(double expected, double actual, double tolerance) =>
        double.IsNaN(expected) ? double.IsNaN(actual) : Math.Abs(expected - actual) <= tolerance;
}
