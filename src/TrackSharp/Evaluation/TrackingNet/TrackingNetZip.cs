using System.IO.Compression;
using TrackSharp.Evaluation.Got10k;

namespace TrackSharp.Evaluation.TrackingNet;

/// <summary>
/// Reads the box files inside a TrackingNet zip (GT or submission) the way the devkit does: only entries ending in
/// ".txt" outside "__MACOSX", in archive order; each line <c>x,y,w,h</c> read like <c>pandas.read_csv</c> with four
/// named columns (blank lines skipped, <c>nan</c> allowed, missing trailing fields NaN). A line with more than four
/// fields or a non-number gives a <see cref="FormatException"/> naming the zip, the entry and the line.
/// </summary>
public static class TrackingNetZip
{
    /// <summary>The ".txt" entry names of the archive, in archive order.</summary>
    public static IReadOnlyList<string> TextEntries(ZipArchive archive) =>
        archive.Entries.Select(e => e.FullName)
            .Where(n => n.EndsWith(".txt", StringComparison.Ordinal) && !n.Contains("__MACOSX", StringComparison.Ordinal))
            .ToArray();

    /// <summary>The rows of one entry as [x, y, w, h] arrays.</summary>
    public static double[][] ReadRows(ZipArchive archive, string entryName, string zipPath)
    {
        var entry = archive.GetEntry(entryName)
                    ?? throw new FileNotFoundException($"{zipPath}: no entry '{entryName}'");
        using var reader = new StreamReader(entry.Open());
        var rows = new List<double[]>();
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string[] fields = line.Split(',');
            if (fields.Length > 4)
                throw new FormatException($"{zipPath}/{entryName}:{lineNumber}: expected x,y,w,h, got '{line.Trim()}'");
            var row = new double[] { double.NaN, double.NaN, double.NaN, double.NaN };
            for (int i = 0; i < fields.Length; i++)
            {
                string f = fields[i].Trim();
                if (f.Length == 0) continue; // pandas reads an empty field as NaN
                if (!NumericTextFile.TryParseNumber(f, out row[i]))
                    throw new FormatException(
                        $"{zipPath}/{entryName}:{lineNumber}: '{f}' is not a number (line '{line.Trim()}')");
            }
            rows.Add(row);
        }
        return rows.ToArray();
    }
}
