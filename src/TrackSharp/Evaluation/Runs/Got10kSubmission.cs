using System.IO.Compression;
using TrackSharp.Imaging;

namespace TrackSharp.Evaluation.Runs;

/// <summary>
/// The zip the GOT-10k evaluation server takes for the test split, as the GOT-10k toolkit's
/// <c>ExperimentGOT10k.report</c> builds it (the tracker's result folder archived from inside): per sequence the
/// entries <c>&lt;seq&gt;/&lt;seq&gt;_00r.txt</c> for every repetition and <c>&lt;seq&gt;/&lt;seq&gt;_time.txt</c>, bytes as
/// written by <see cref="Got10kResultFiles"/>. Only those files are packed (our pysot-layout copies next to them are
/// not). Written to a temporary file and renamed.
/// </summary>
public static class Got10kSubmission
{
    /// <exception cref="FileNotFoundException">A result file of a listed sequence is missing (names it).</exception>
    public static void Write(string zipPath, OpeResultLayout layout, IEnumerable<string> sequences, int repetitions)
    {
        string temp = AtomicFile.TemporaryPathFor(zipPath);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                foreach (string sequence in sequences)
                {
                    var files = Enumerable.Range(1, repetitions).Select(r => layout.Got10kBoxFile(sequence, r))
                        .Append(layout.Got10kTimeFile(sequence));
                    foreach (string file in files)
                    {
                        if (!File.Exists(file)) throw new FileNotFoundException($"GOT-10k submission: '{file}' is missing", file);
                        string entry = Path.GetRelativePath(layout.TrackerFolder, file).Replace(Path.DirectorySeparatorChar, '/');
                        zip.CreateEntryFromFile(file, entry, CompressionLevel.Optimal);
                    }
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
