using System.Globalization;
using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Got10k;

/// <summary>How the fields of a line are separated, mirroring the two ways the toolkit calls <c>np.loadtxt</c>.</summary>
public enum FieldSeparator
{
    /// <summary><c>np.loadtxt(f, delimiter=',')</c>: GOT-10k and LaSOT ground truth, result files, GOT-10k time files.</summary>
    Comma,

    /// <summary><c>np.loadtxt(f)</c> (whitespace), also accepting commas as OTB ground truth does (<c>,</c> replaced by spaces).</summary>
    WhitespaceOrComma,
}

/// <summary>
/// Reads the numeric text files of the benchmarks (boxes, labels, times) the way <c>np.loadtxt</c> does: blank lines
/// are skipped, <c>nan</c>/<c>NaN</c> and <c>inf</c> are numbers, and every row must have the same number of fields.
/// Anything else is a <see cref="Got10kEvaluationException"/> naming the file and the 1-based line.
/// </summary>
public static class NumericTextFile
{
    /// <summary>All non-blank rows of <paramref name="path"/>; <paramref name="columns"/> (when given) is enforced.</summary>
    public static double[][] ReadRows(string path, FieldSeparator separator, int? columns = null)
    {
        if (!File.Exists(path))
            throw new Got10kEvaluationException($"{path}: file not found");
        var rows = new List<double[]>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            double[] row = ParseLine(line, separator, path, lineNumber);
            int expected = columns ?? (rows.Count > 0 ? rows[0].Length : row.Length);
            if (row.Length != expected)
                throw new Got10kEvaluationException(
                    $"{path}:{lineNumber}: expected {expected} values, got {row.Length} in '{line.Trim()}'");
            rows.Add(row);
        }
        return rows.ToArray();
    }

    /// <summary>A box file (x, y, w, h per line) as boxes.</summary>
    public static BoxXywh[] ReadBoxes(string path, FieldSeparator separator) =>
        ReadRows(path, separator, columns: 4).Select(r => new BoxXywh(r[0], r[1], r[2], r[3])).ToArray();

    /// <summary>A one-value-per-line file (GOT-10k <c>cover.label</c>, <c>absence.label</c>).</summary>
    public static double[] ReadColumn(string path) =>
        ReadRows(path, FieldSeparator.WhitespaceOrComma, columns: 1).Select(r => r[0]).ToArray();

    /// <summary>Every value of a file in row-major order (a time file with one column per repetition).</summary>
    public static double[] ReadAllValues(string path, FieldSeparator separator) =>
        ReadRows(path, separator).SelectMany(r => r).ToArray();

    private static double[] ParseLine(string line, FieldSeparator separator, string path, int lineNumber)
    {
        string[] fields = separator == FieldSeparator.Comma
            ? line.Split(',')
            : line.Split(new[] { ',', ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        var values = new double[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            if (!TryParseNumber(fields[i].Trim(), out values[i]))
                throw new Got10kEvaluationException(
                    $"{path}:{lineNumber}: '{fields[i].Trim()}' is not a number (line '{line.Trim()}')");
        }
        return values;
    }

    /// <summary>A float as numpy reads it, including <c>nan</c> and <c>inf</c> in any case.</summary>
    internal static bool TryParseNumber(string text, out double value)
    {
        switch (text.ToLowerInvariant())
        {
            case "nan": case "+nan": case "-nan": value = double.NaN; return true;
            case "inf": case "+inf": case "infinity": case "+infinity": value = double.PositiveInfinity; return true;
            case "-inf": case "-infinity": value = double.NegativeInfinity; return true;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
