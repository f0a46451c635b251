using System.Globalization;
using System.Text;
using TrackSharp.Imaging;

namespace TrackSharp.Data.Synthetic;

/// <summary>What <see cref="SyntheticDataset.Write"/> wrote.</summary>
/// <param name="Root">The split folder (absolute).</param>
/// <param name="Sequences">Sequence names, in <c>list.txt</c> order.</param>
/// <param name="Frames">Frames over all sequences.</param>
/// <param name="AbsentFrames">Frames with <c>absence.label</c> 1 (out of view or fully occluded).</param>
/// <param name="OutOfViewFrames">Frames whose target box lies wholly outside the image.</param>
/// <param name="PartlyHiddenFrames">Frames with cover 1..7 (partly occluded or cut by the image border).</param>
public sealed record SyntheticDatasetSummary(string Root, IReadOnlyList<string> Sequences, int Frames, int AbsentFrames,
    int OutOfViewFrames, int PartlyHiddenFrames);

/// <summary>
/// Writes synthetic sequences (<see cref="SyntheticSequence"/>) as a GOT-10k train-style split folder, the layout
/// <see cref="Datasets.DatasetReader"/> reads as <see cref="Datasets.DatasetFormat.Got10k"/>:
/// <code>
/// ROOT/list.txt                      one sequence name per line
/// ROOT/GOT-10k_Synth_000001/00000001.jpg ...   JPEG frames (quality from the options, default 90)
///                          groundtruth.txt     x,y,w,h per frame, 4 decimals (integers here)
///                          absence.label       0/1 per frame: 1 = no target pixel visible (out of view or fully occluded)
///                          cover.label         0..8 per frame: visible fraction in GOT-10k's levels (see <see cref="SyntheticFrameTruth"/>)
///                          meta_info.ini       [METAINFO] with url, object_class, motion_class, resolution: (W, H), ... and the generator's keys
/// </code>
/// Absent frames keep a finite box (the object's unclipped box) rather than NaN; visible frames' boxes lie inside the
/// image. Every file is written atomically (write, then rename); <c>list.txt</c> is written last. Same options, same
/// bytes (System.Random streams seeded per sequence, integer pixel maths, OpenCV's deterministic drawing, resizing and
/// JPEG encoding on one machine and OpenCV build).
/// </summary>
public static class SyntheticDataset
{
    /// <summary>Generates and writes every sequence of <paramref name="options"/> under <paramref name="root"/>.</summary>
    /// <param name="root">The split folder; created when missing.</param>
    /// <param name="options">What to generate.</param>
    /// <param name="overwrite">When <paramref name="root"/> is not empty: false refuses; true first deletes
    ///   <c>list.txt</c> and the <c>GOT-10k_Synth_*</c> folders there (nothing else).</param>
    /// <param name="progress">Called after each frame with (frames done, frames in all).</param>
    /// <exception cref="ArgumentException">Bad options, or a non-empty <paramref name="root"/> without <paramref name="overwrite"/>.</exception>
    /// <exception cref="IOException">A file could not be written (the message names it).</exception>
    public static SyntheticDatasetSummary Write(string root, SyntheticOptions options, bool overwrite = false,
        Action<int, int>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        options.Validate();
        root = Path.GetFullPath(root);
        if (File.Exists(root)) throw new ArgumentException($"output '{root}' is a file, not a folder");
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            if (!overwrite)
                throw new ArgumentException($"output folder '{root}' is not empty; choose another folder or pass --overwrite " +
                                            "(deletes its list.txt and GOT-10k_Synth_* folders)");
            File.Delete(Path.Combine(root, "list.txt"));
            foreach (string dir in Directory.EnumerateDirectories(root, "GOT-10k_Synth_*")) Directory.Delete(dir, recursive: true);
        }
        Directory.CreateDirectory(root);

        var names = new List<string>();
        int total = options.Sequences * options.Frames, done = 0, absent = 0, outOfView = 0, partly = 0;
        for (int i = 0; i < options.Sequences; i++)
        {
            using var sequence = new SyntheticSequence(options, i);
            string folder = Path.Combine(root, sequence.Name);
            Directory.CreateDirectory(folder);
            for (int t = 0; t < sequence.Length; t++)
            {
                using var frame = sequence.RenderFrame(t);
                ImageIO.Write(Path.Combine(folder, $"{t + 1:D8}.jpg"), frame, options.JpegQuality);
                progress?.Invoke(++done, total);
            }
            WriteSequenceFiles(folder, sequence);
            absent += sequence.Truth.Count(f => f.Absent);
            outOfView += sequence.Truth.Count(f => f.OutOfView);
            partly += sequence.Truth.Count(f => f.Cover is > 0 and < 8);
            names.Add(sequence.Name);
        }
        WriteText(Path.Combine(root, "list.txt"), names);
        return new SyntheticDatasetSummary(root, names, total, absent, outOfView, partly);
    }

    /// <summary>groundtruth.txt, absence.label, cover.label and meta_info.ini of one sequence.</summary>
    public static void WriteSequenceFiles(string folder, SyntheticSequence sequence)
    {
        static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        WriteText(Path.Combine(folder, "groundtruth.txt"),
            sequence.Truth.Select(f => $"{F(f.Box.X)},{F(f.Box.Y)},{F(f.Box.Width)},{F(f.Box.Height)}"));
        WriteText(Path.Combine(folder, "absence.label"), sequence.Truth.Select(f => f.Absent ? "1" : "0"));
        WriteText(Path.Combine(folder, "cover.label"), sequence.Truth.Select(f => f.Cover.ToString(CultureInfo.InvariantCulture)));
        WriteText(Path.Combine(folder, "meta_info.ini"),
            new[] { "[METAINFO]" }.Concat(sequence.Attributes.Select(a => $"{a.Key}: {a.Value}")));
    }

    private static void WriteText(string path, IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (string line in lines) text.Append(line).Append('\n');
        AtomicFile.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text.ToString()));
    }
}
