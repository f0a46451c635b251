using System.Globalization;
using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Pysot;

/// <summary>
/// Reads a one-pass result file the way pysot's <c>load_tracker</c> does: one <c>x,y,w,h</c> per line, split on
/// commas only, each value parsed like Python's <c>float</c> (so <c>nan</c> is accepted and stays NaN).
/// </summary>
public static class PysotResultFile
{
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="FormatException">Naming the file and 1-based line of a malformed row.</exception>
    public static BoxXywh[] Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"result file not found: {path}", path);
        var boxes = new List<BoxXywh>();
        var lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 && i == lines.Length - 1) break;
            var parts = line.Split(',');
            if (parts.Length != 4)
                throw new FormatException($"{path}:{i + 1}: expected x,y,w,h (4 comma-separated numbers), got '{lines[i]}'");
            var v = new double[4];
            for (int k = 0; k < 4; k++)
                if (!double.TryParse(parts[k].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out v[k])
                    && !TryParsePythonSpecial(parts[k].Trim(), out v[k]))
                    throw new FormatException($"{path}:{i + 1}: '{parts[k]}' is not a number");
            boxes.Add(new BoxXywh(v[0], v[1], v[2], v[3]));
        }
        return boxes.ToArray();
    }

    /// <summary>Python's <c>float()</c> spellings .NET does not parse: nan/inf in any case.</summary>
    internal static bool TryParsePythonSpecial(string text, out double value)
    {
        value = text.ToLowerInvariant() switch
        {
            "nan" or "+nan" or "-nan" => double.NaN,
            "inf" or "+inf" or "infinity" or "+infinity" => double.PositiveInfinity,
            "-inf" or "-infinity" => double.NegativeInfinity,
            _ => 0,
        };
        return value != 0;
    }
}
