using System.Text;
using TrackSharp.Geometry;
using TrackSharp.Imaging;

namespace TrackSharp.Evaluation.Runs;

/// <summary>
/// The files of the GOT-10k toolkit's <c>ExperimentGOT10k._record</c>, which its <c>report</c> and the GOT-10k
/// evaluation server read: per repetition <c>&lt;seq&gt;_00r.txt</c>, one <c>x,y,w,h</c> row per frame in
/// <c>%.3f</c>; and one <c>&lt;seq&gt;_time.txt</c> with one column per repetition (comma separated, <c>%.8f</c>).
/// Both are written atomically.
/// </summary>
public static class Got10kResultFiles
{
    public static void WriteBoxes(string path, IReadOnlyList<BoxXywh> boxes)
    {
        var text = new StringBuilder();
        foreach (var b in boxes) text.Append(NumpyText.Row([b.X, b.Y, b.Width, b.Height], 3)).Append('\n');
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Writes the seconds per frame of every repetition, one column each (all of the same length).</summary>
    /// <exception cref="ArgumentException">No repetition, or repetitions of different lengths.</exception>
    public static void WriteTimes(string path, IReadOnlyList<IReadOnlyList<double>> repetitions)
    {
        if (repetitions.Count == 0 || repetitions.Any(r => r.Count != repetitions[0].Count))
            throw new ArgumentException($"{path}: the time columns need one repetition or more, all of the same length");
        var text = new StringBuilder();
        for (int i = 0; i < repetitions[0].Count; i++)
            text.Append(NumpyText.Row(repetitions.Select(r => r[i]), 8)).Append('\n');
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(text.ToString()));
    }
}
