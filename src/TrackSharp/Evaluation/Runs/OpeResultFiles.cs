using System.Globalization;
using System.Text;
using TrackSharp.Evaluation.Pysot;
using TrackSharp.Geometry;
using TrackSharp.Imaging;

namespace TrackSharp.Evaluation.Runs;

/// <summary>
/// Writes and reads one-pass result files. Boxes: one <c>x,y,w,h</c> line per frame with 4 decimals
/// (invariant culture, comma separated, what pysot's <c>load_tracker</c> and numpy's <c>loadtxt</c> read).
/// Times: one line per frame, seconds with 6 significant decimals, <c>NaN</c> for a frame that was not tracked.
/// Every write goes to a temporary file next to the target and is renamed over it, so a file is there only complete.
/// </summary>
public static class OpeResultFiles
{
    public static string FormatBox(BoxXywh box) =>
        string.Join(",", new[] { box.X, box.Y, box.Width, box.Height }.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)));

    public static void WriteBoxes(string path, IReadOnlyList<BoxXywh> boxes)
    {
        var text = new StringBuilder();
        foreach (var box in boxes) text.Append(FormatBox(box)).Append('\n');
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(text.ToString()));
    }

    public static void WriteTimes(string path, IReadOnlyList<double> seconds)
    {
        var text = new StringBuilder();
        foreach (double t in seconds)
            text.Append(double.IsFinite(t) ? t.ToString("0.000000##", CultureInfo.InvariantCulture) : "NaN").Append('\n');
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Reads a box file as pysot does (<see cref="PysotResultFile.Read"/>).</summary>
    /// <exception cref="FormatException">A malformed line (names file and line).</exception>
    public static BoxXywh[] ReadBoxes(string path) => PysotResultFile.Read(path);

    /// <summary>Reads a times file: one number per non-empty line (<c>NaN</c> allowed).</summary>
    /// <exception cref="FormatException">A malformed line (names file and line).</exception>
    public static double[] ReadTimes(string path)
    {
        var lines = File.ReadAllLines(path);
        var values = new List<double>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            string text = lines[i].Trim();
            if (text.Length == 0) continue;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                && !PysotResultFile.TryParsePythonSpecial(text, out v))
                throw new FormatException($"{path}:{i + 1}: '{lines[i]}' is not a number of seconds");
            values.Add(v);
        }
        return values.ToArray();
    }

    /// <summary>Non-empty lines of <paramref name="path"/>, or -1 when it does not exist.</summary>
    public static int CountLines(string path)
    {
        if (!File.Exists(path)) return -1;
        int n = 0;
        foreach (string line in File.ReadLines(path))
            if (line.Trim().Length > 0) n++;
        return n;
    }

    /// <summary>
    /// Frames per second of a times file: frames with a measured time (finite, &gt; 0) over the sum of their times
    /// (pysot's <c>idx / toc</c>, the init frame included); 0 when nothing was measured.
    /// </summary>
    public static double Fps(IReadOnlyList<double> seconds)
    {
        int n = 0;
        double total = 0;
        foreach (double t in seconds)
            if (double.IsFinite(t) && t > 0) { n++; total += t; }
        return total > 0 ? n / total : 0;
    }
}
