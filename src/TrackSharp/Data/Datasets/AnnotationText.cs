using System.Globalization;
using TrackSharp.Geometry;

namespace TrackSharp.Data.Datasets;

/// <summary>
/// Tolerant parsing of the benchmarks' annotation text files. Every quirk the benchmarks ship is accepted: fields
/// separated by commas, tabs or spaces (mixed, repeated), CRLF line ends, no final newline, blank lines (skipped;
/// rows are the non-empty lines), <c>NaN</c>/<c>nan</c> values, fractional values. What cannot be a row becomes a
/// <see cref="DatasetProblem"/> naming the file and line, and an unknown (NaN) row so later rows keep their frame.
/// </summary>
public static class AnnotationText
{
    private static readonly char[] Separators = [',', '\t', ' ', ';'];

    /// <summary>A box file: one row per frame of 4 numbers <c>x,y,w,h</c>, or an even number (6 or more) of polygon
    /// corner coordinates, made into the polygon's min/max box (VOT). A row that is all NaN is an unknown box.</summary>
    public static (BoxXywh[] Boxes, List<DatasetProblem> Problems) ReadBoxes(string path)
    {
        var boxes = new List<BoxXywh>();
        var problems = new List<DatasetProblem>();
        foreach (var (lineNumber, line) in NonEmptyLines(path))
        {
            var values = ParseNumbers(line, path, lineNumber, problems);
            if (values is null)
            {
                boxes.Add(Unknown);
                continue;
            }
            BoxXywh box;
            if (values.Length == 4)
                box = new BoxXywh(values[0], values[1], values[2], values[3]);
            else if (values.Length >= 6 && values.Length % 2 == 0)
                box = PolygonBounds(values);
            else
            {
                problems.Add(new DatasetProblem(path, lineNumber,
                    $"expected 4 numbers (x,y,w,h) or 8 (polygon x1,y1,...,x4,y4), got {values.Length} in '{Shorten(line)}'"));
                boxes.Add(Unknown);
                continue;
            }
            if (box.Width < 0 || box.Height < 0)
                problems.Add(new DatasetProblem(path, lineNumber,
                    $"negative size: width {F(box.Width)}, height {F(box.Height)} in '{Shorten(line)}'"));
            boxes.Add(box);
        }
        return (boxes.ToArray(), problems);
    }

    /// <summary>A per-frame label file: integers, one per line (GOT-10k <c>absence.label</c>, <c>cover.label</c>) or
    /// all on one comma-separated line (LaSOT <c>full_occlusion.txt</c>, <c>out_of_view.txt</c>).</summary>
    public static (int[] Values, List<DatasetProblem> Problems) ReadLabels(string path)
    {
        var values = new List<int>();
        var problems = new List<DatasetProblem>();
        foreach (var (lineNumber, line) in NonEmptyLines(path))
        {
            foreach (string token in line.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
            {
                if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                    && v == Math.Floor(v) && Math.Abs(v) < int.MaxValue)
                    values.Add((int)v);
                else
                {
                    problems.Add(new DatasetProblem(path, lineNumber, $"'{Shorten(token)}' is not an integer label"));
                    values.Add(0);
                }
            }
        }
        return (values.ToArray(), problems);
    }

    /// <summary>The unknown box: all four values NaN.</summary>
    public static BoxXywh Unknown { get; } = new(double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>The axis-aligned min/max box of a polygon given as x1,y1,x2,y2,...; NaN when any corner is NaN.</summary>
    public static BoxXywh PolygonBounds(IReadOnlyList<double> xy)
    {
        double x0 = double.PositiveInfinity, y0 = double.PositiveInfinity;
        double x1 = double.NegativeInfinity, y1 = double.NegativeInfinity;
        for (int i = 0; i + 1 < xy.Count; i += 2)
        {
            if (double.IsNaN(xy[i]) || double.IsNaN(xy[i + 1])) return Unknown;
            x0 = Math.Min(x0, xy[i]);
            x1 = Math.Max(x1, xy[i]);
            y0 = Math.Min(y0, xy[i + 1]);
            y1 = Math.Max(y1, xy[i + 1]);
        }
        return new BoxXywh(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>(1-based line number, trimmed text) of every line that is not blank; CR, LF and CRLF all end a line.</summary>
    internal static IEnumerable<(int Line, string Text)> NonEmptyLines(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw new DatasetFormatException(path, null, "file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetFormatException(path, null, $"cannot read: {e.Message}", e);
        }
        int number = 0;
        foreach (string raw in text.Split('\n'))
        {
            number++;
            string line = raw.Trim().TrimStart('\uFEFF');
            if (line.Length > 0) yield return (number, line);
        }
    }

    private static double[]? ParseNumbers(string line, string path, int lineNumber, List<DatasetProblem> problems)
    {
        var tokens = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        var values = new double[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!TryParseNumber(tokens[i], out values[i]))
            {
                problems.Add(new DatasetProblem(path, lineNumber, $"'{Shorten(tokens[i])}' is not a number in '{Shorten(line)}'"));
                return null;
            }
        }
        return values;
    }

    private static bool TryParseNumber(string token, out double value)
    {
        if (token.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
