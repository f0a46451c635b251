using System.Globalization;
using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Pytracking;

/// <summary>
/// Readers for the text files pytracking's evaluation datasets load (<c>utils/load_text.py load_text</c>, which
/// tries <c>np.loadtxt</c> with each delimiter in turn): box files separated by tabs, commas or whitespace, and
/// LaSOT's one-line <c>full_occlusion.txt</c> / <c>out_of_view.txt</c> flags.
/// </summary>
public static class PytrackingTextFile
{
    /// <summary>
    /// Reads <c>x,y,w,h</c> rows. The delimiter is chosen per file like <c>load_text</c>'s first successful try:
    /// tab if the first row has one, else comma, else whitespace. <c>nan</c> parses as NaN.
    /// </summary>
    /// <exception cref="FormatException">Naming the file and 1-based line of a malformed row.</exception>
    public static BoxXywh[] ReadBoxes(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"box file not found: {path}", path);
        var lines = File.ReadAllLines(path);
        string first = lines.FirstOrDefault(l => l.Trim().Length > 0) ?? "";
        char[]? separators = first.Contains('\t') ? ['\t'] : first.Contains(',') ? [','] : null;
        var boxes = new List<BoxXywh>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue; // np.loadtxt skips blank lines
            var parts = separators is null
                ? lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                : lines[i].Split(separators);
            if (parts.Length != 4)
                throw new FormatException($"{path}:{i + 1}: expected 4 values x,y,w,h, got '{lines[i]}'");
            var v = new double[4];
            for (int k = 0; k < 4; k++)
                if (!TryParse(parts[k].Trim(), out v[k]))
                    throw new FormatException($"{path}:{i + 1}: '{parts[k]}' is not a number");
            boxes.Add(new BoxXywh(v[0], v[1], v[2], v[3]));
        }
        return boxes.ToArray();
    }

    /// <summary>
    /// LaSOT visibility as <c>LaSOTDataset._construct_sequence</c> builds it:
    /// <c>full_occlusion == 0 and out_of_view == 0</c>, read from the sequence folder.
    /// </summary>
    /// <exception cref="FormatException">Naming the file when a flag is not an integer or the lengths differ.</exception>
    public static bool[] ReadLasotVisibility(string sequenceDir)
    {
        var occlusion = ReadFlags(Path.Combine(sequenceDir, "full_occlusion.txt"));
        var outOfView = ReadFlags(Path.Combine(sequenceDir, "out_of_view.txt"));
        if (occlusion.Length != outOfView.Length)
            throw new FormatException($"{sequenceDir}: full_occlusion.txt has {occlusion.Length} flags, out_of_view.txt {outOfView.Length}");
        return occlusion.Zip(outOfView, (o, v) => o == 0 && v == 0).ToArray();
    }

    private static int[] ReadFlags(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"flag file not found: {path}", path);
        // csv.reader(f)[0]: only the first line counts.
        string line = File.ReadLines(path).FirstOrDefault() ?? "";
        return line.Split(',').Select((s, k) => int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int f)
            ? f : throw new FormatException($"{path}:1: value {k + 1} '{s}' is not an integer")).ToArray();
    }

    private static bool TryParse(string text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return true;
        value = text.ToLowerInvariant() switch
        {
            "nan" or "-nan" => double.NaN,
            "inf" or "infinity" => double.PositiveInfinity,
            "-inf" or "-infinity" => double.NegativeInfinity,
            _ => 0,
        };
        return value != 0;
    }
}
