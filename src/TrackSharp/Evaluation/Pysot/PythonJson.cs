using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TrackSharp.Evaluation.Pysot;

/// <summary>
/// Reads JSON written by Python's <c>json.dump</c>, which writes non-finite floats as the bare literals
/// <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> (not strict JSON). Bare literals outside strings are quoted
/// first, then <see cref="Number"/> accepts both numbers and those quoted names.
/// </summary>
internal static class PythonJson
{
    public static JsonDocument Parse(string text) => JsonDocument.Parse(QuoteNonFiniteLiterals(text));

    public static double Number(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String => double.Parse(element.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"expected a number, got {element.ValueKind}"),
    };

    private static string QuoteNonFiniteLiterals(string text)
    {
        var sb = new StringBuilder(text.Length + 64);
        bool inString = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\' && i + 1 < text.Length) sb.Append(text[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') { inString = true; sb.Append(c); continue; }
            string? literal = Match(text, i, "-Infinity") ?? Match(text, i, "Infinity") ?? Match(text, i, "NaN");
            if (literal is null) { sb.Append(c); continue; }
            sb.Append('"').Append(literal).Append('"');
            i += literal.Length - 1;
        }
        return sb.ToString();
    }

    private static string? Match(string text, int at, string literal) =>
        string.CompareOrdinal(text, at, literal, 0, literal.Length) == 0 ? literal : null;
}
