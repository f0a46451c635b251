using System.IO.Compression;
using System.Text;
using TrackSharp.Evaluation.Runs;
using TrackSharp.Geometry;
using TrackSharp.Imaging;

namespace TrackSharp.Evaluation.TrackingNet;

/// <summary>
/// The zip the TrackingNet evaluation server takes, as pytracking's <c>pack_trackingnet_results</c> builds it: one
/// entry <c>&lt;video&gt;.txt</c> per sequence at the root of the archive (no folder), each line <c>x,y,w,h</c> with two
/// decimals (<c>numpy.savetxt(delimiter=',', fmt='%.2f')</c>), no time files. The devkit reads the ".txt" entries
/// (<see cref="TrackingNetZip"/>). Written to a temporary file and renamed, so a zip is there only complete.
/// </summary>
public static class TrackingNetSubmission
{
    /// <summary>One sequence's entry text.</summary>
    public static string EntryText(IReadOnlyList<BoxXywh> boxes)
    {
        var text = new StringBuilder();
        foreach (var b in boxes) text.Append(NumpyText.Row([b.X, b.Y, b.Width, b.Height], 2)).Append('\n');
        return text.ToString();
    }

    /// <summary>Writes <paramref name="zipPath"/> with the sequences in the given order.</summary>
    /// <exception cref="ArgumentException">Two sequences of the same name.</exception>
    public static void Write(string zipPath, IEnumerable<(string Sequence, IReadOnlyList<BoxXywh> Boxes)> sequences)
    {
        string temp = AtomicFile.TemporaryPathFor(zipPath);
        try
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                foreach (var (sequence, boxes) in sequences)
                {
                    if (!names.Add(sequence))
                        throw new ArgumentException($"{zipPath}: sequence '{sequence}' given twice");
                    var entry = zip.CreateEntry(sequence + ".txt", CompressionLevel.Optimal);
                    using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                    writer.Write(EntryText(boxes));
                }
            }
            AtomicFile.Commit(temp, zipPath);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }
}
