using System.Globalization;
using System.Text.Json;
using TrackSharp.Geometry;

namespace TrackSharp.Tracking;

/// <summary>
/// Reads a first-frame box from a file: a JSON object with <c>"box": [x, y, w, h]</c> (as <c>samples/bag.json</c>),
/// or a text file whose first non-empty line is <c>x,y,w,h</c> (comma, tab or space separated, so the first row
/// of a benchmark's ground truth works as it is) or an 8-number VOT polygon, taken as its min/max box.
/// </summary>
public static class InitialBoxFile
{
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The message names the file, the line and what was wrong.</exception>
    public static BoxXywh Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"init file '{path}' does not exist", path);
        string text = File.ReadAllText(path);
        return text.TrimStart().StartsWith('{') ? ReadJson(path, text) : ReadText(path, text);
    }

    private static BoxXywh ReadJson(string path, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (!doc.RootElement.TryGetProperty("box", out var box) || box.ValueKind != JsonValueKind.Array)
                throw new FormatException($"{path}: JSON init file needs a \"box\": [x, y, w, h] entry");
            var v = box.EnumerateArray().Select(e => e.GetDouble()).ToArray();
            if (v.Length != 4) throw new FormatException($"{path}: \"box\" must hold 4 numbers, got {v.Length}");
            return new BoxXywh(v[0], v[1], v[2], v[3]);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
    }

    private static BoxXywh ReadText(string path, string text)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(new[] { ',', '\t', ' ', ';' }, StringSplitOptions.RemoveEmptyEntries);
            var values = new double[parts.Length];
            for (int k = 0; k < parts.Length; k++)
                if (!double.TryParse(parts[k], NumberStyles.Float, CultureInfo.InvariantCulture, out values[k]))
                    throw new FormatException($"{path}:{i + 1}: '{parts[k]}' is not a number (line '{line}')");
            return values.Length switch
            {
                4 => new BoxXywh(values[0], values[1], values[2], values[3]),
                8 => PolygonBounds(values),
                _ => throw new FormatException(
                    $"{path}:{i + 1}: expected x,y,w,h (4 numbers) or a polygon (8 numbers), got {values.Length}"),
            };
        }
        throw new FormatException($"{path}: no box found (the file is empty)");
    }

    private static BoxXywh PolygonBounds(double[] v)
    {
        double x0 = new[] { v[0], v[2], v[4], v[6] }.Min(), x1 = new[] { v[0], v[2], v[4], v[6] }.Max();
        double y0 = new[] { v[1], v[3], v[5], v[7] }.Min(), y1 = new[] { v[1], v[3], v[5], v[7] }.Max();
        return new BoxXywh(x0, y0, x1 - x0, y1 - y0);
    }
}
