using TrackSharp.Imaging;

namespace TrackSharp.Data.Datasets;

/// <summary>What the checker found in one sequence.</summary>
/// <param name="Name">Sequence name.</param>
/// <param name="Frames">Frames in the sequence (annotated frames; see <see cref="TrackingSequence"/>).</param>
/// <param name="ImagesOnDisk">Image files in its frame folder (more than <paramref name="Frames"/> for OTB Diving).</param>
/// <param name="AnnotationRows">Non-empty rows of its ground-truth file.</param>
/// <param name="AbsentFrames">Frames whose target is absent: unknown (NaN) or empty box, absence/out-of-view or full-occlusion flag, cover 0.</param>
/// <param name="BoxesOutsideImage">Frames whose valid box does not overlap the image (kept as they are; counted only).</param>
public sealed record SequenceCheck(string Name, int Frames, int ImagesOnDisk, int AnnotationRows, int AbsentFrames, int BoxesOutsideImage);

/// <summary>The result of <see cref="DatasetChecker.Check"/>.</summary>
public sealed class DatasetCheckReport
{
    public required string Root { get; init; }
    public required DatasetFormat Format { get; init; }
    public required IReadOnlyList<SequenceCheck> Sequences { get; init; }

    /// <summary>Total frames over all sequences.</summary>
    public int Frames => Sequences.Sum(s => s.Frames);

    /// <summary>Total absent-target frames.</summary>
    public int AbsentFrames => Sequences.Sum(s => s.AbsentFrames);

    /// <summary>Findings of severity <see cref="ProblemSeverity.Problem"/>, in the order found.</summary>
    public required IReadOnlyList<DatasetProblem> Problems { get; init; }

    /// <summary>Findings of severity <see cref="ProblemSeverity.Info"/>: the dataset's own conventions.</summary>
    public required IReadOnlyList<DatasetProblem> Notes { get; init; }

    /// <summary>True when no problem was found.</summary>
    public bool IsClean => Problems.Count == 0;
}

/// <summary>Options of <see cref="DatasetChecker.Check"/>.</summary>
public sealed record DatasetCheckOptions
{
    /// <summary>Decode every frame (slow on large datasets). Default: check that each frame file exists, is not empty
    /// and, for JPEG and PNG, has its start and end markers; decode only the first frame of each sequence (image size).</summary>
    public bool DecodeAllFrames { get; init; }

    /// <summary>Missing or bad frame files reported one by one per sequence before a summary line. Default 20.</summary>
    public int MaxFrameProblemsPerSequence { get; init; } = 20;
}

/// <summary>
/// Checks a dataset the way a loader would use it and reports every finding by file and line: missing or bad frame
/// files, malformed annotation or label lines, short ground truth, label files of the wrong length, negative sizes,
/// listed sequences without folders. Conventions of a layout are reported as notes, not problems: OTB sequences with
/// fewer annotation rows than images (Diving: 231 images, 215 rows, evaluated on 215), GOT-10k test sequences with a
/// first-frame box only, UAV123 sub-range annotations that cannot be placed without the official table.
/// </summary>
public static class DatasetChecker
{
    /// <param name="dataset">What <see cref="DatasetReader.Open"/> returned.</param>
    /// <param name="options">Null for the defaults.</param>
    /// <param name="progress">Called after each sequence with (done, total).</param>
    public static DatasetCheckReport Check(SequenceDataset dataset, DatasetCheckOptions? options = null,
        Action<int, int>? progress = null)
    {
        options ??= new DatasetCheckOptions();
        var findings = new List<DatasetProblem>(dataset.Findings);
        var sequences = new List<SequenceCheck>();
        int done = 0;
        foreach (var sequence in dataset.Sequences)
        {
            sequences.Add(CheckSequence(sequence, options, findings));
            progress?.Invoke(++done, dataset.Sequences.Count);
        }
        return new DatasetCheckReport
        {
            Root = dataset.Root,
            Format = dataset.Format,
            Sequences = sequences,
            Problems = findings.Where(f => f.Severity == ProblemSeverity.Problem).ToList(),
            Notes = findings.Where(f => f.Severity == ProblemSeverity.Info).ToList(),
        };
    }

    private static SequenceCheck CheckSequence(TrackingSequence sequence, DatasetCheckOptions options, List<DatasetProblem> findings)
    {
        SequenceData data;
        try
        {
            data = sequence.Data;
        }
        catch (DatasetFormatException e)
        {
            findings.Add(new DatasetProblem(e.File, e.Line, e.Message));
            return new SequenceCheck(sequence.Name, 0, 0, 0, 0, 0);
        }
        findings.AddRange(data.Findings);

        // Frame files.
        (int Width, int Height)? size = null;
        if (data.Listing.FilesOnDisk == 0 && !data.Listing.IsFileList) // a file list reports each missing file below
            findings.Add(new DatasetProblem(sequence.FrameFolder, null,
                data.Listing.FolderExists ? "frame folder holds no images" : "frame folder does not exist"));
        else
        {
            var bad = new List<DatasetProblem>();
            for (int i = 0; i < data.FramePaths.Count; i++)
            {
                string path = data.FramePaths[i];
                string? error = !data.Listing.Exists(path) && !File.Exists(path)
                    ? $"missing frame file (frame {i + 1} of {data.Length})"
                    : options.DecodeAllFrames || size is null ? Decode(path, ref size) : QuickCheck(path);
                if (error is not null) bad.Add(new DatasetProblem(path, null, error));
            }
            findings.AddRange(bad.Take(options.MaxFrameProblemsPerSequence));
            if (bad.Count > options.MaxFrameProblemsPerSequence)
                findings.Add(new DatasetProblem(sequence.FrameFolder, null,
                    $"{bad.Count - options.MaxFrameProblemsPerSequence} more missing or bad frame files ({bad.Count} in all)"));
            if (data.FramePaths.Count < data.Length)
                findings.Add(new DatasetProblem(sequence.AnnotationPath, null,
                    $"{data.AnnotationRows} annotation rows but only {data.FramePaths.Count} frames in '{sequence.FrameFolder}'"));
        }

        // Targets: absent frames, boxes off the image.
        int absent = 0, outside = 0;
        for (int i = 0; i < data.Length; i++)
        {
            var box = data.Boxes[i];
            bool isAbsent = data.Absent?[i] == true || data.FullOcclusion?[i] == true || data.Cover?[i] == 0
                            || double.IsNaN(box.X) || double.IsNaN(box.Width) || box.Width == 0 || box.Height == 0;
            if (isAbsent) absent++;
            else if (size is { } s && box.IsValid && !box.Intersects(s.Width, s.Height)) outside++;
        }
        if (outside > 0)
            findings.Add(new DatasetProblem(sequence.AnnotationPath, null,
                $"{outside} box(es) outside the {size!.Value.Width}x{size.Value.Height} image (kept as annotated)", ProblemSeverity.Info));
        return new SequenceCheck(sequence.Name, data.Length, data.Listing.FilesOnDisk, data.AnnotationRows, absent, outside);
    }

    private static string? Decode(string path, ref (int Width, int Height)? size)
    {
        using var image = ImageFileReader.TryRead(path, out string? error);
        if (image is not null) size ??= (image.Width, image.Height);
        return error is null ? null : StripPath(error, path);
    }

    /// <summary>Existence, size and format markers without decoding (JPEG: FFD8FF ... FFD9; PNG: signature ... IEND).</summary>
    private static string? QuickCheck(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            long length = stream.Length;
            if (length == 0) return "frame file is empty (0 bytes)";
            var head = new byte[8];
            int n = stream.Read(head, 0, head.Length);
            string ext = Path.GetExtension(path).ToLowerInvariant();
            int tailLength = (int)Math.Min(length, 4096);
            var tail = new byte[tailLength];
            stream.Seek(-tailLength, SeekOrigin.End);
            stream.ReadExactly(tail);
            if (ext is ".jpg" or ".jpeg")
            {
                if (n < 3 || head[0] != 0xFF || head[1] != 0xD8 || head[2] != 0xFF) return "not a JPEG file (no start-of-image marker)";
                for (int i = tail.Length - 2; i >= 0; i--)
                    if (tail[i] == 0xFF && tail[i + 1] == 0xD9) return null;
                return "truncated JPEG (no end-of-image marker)";
            }
            if (ext == ".png")
            {
                if (n < 8 || head[0] != 0x89 || head[1] != (byte)'P' || head[2] != (byte)'N' || head[3] != (byte)'G')
                    return "not a PNG file (bad signature)";
                return System.Text.Encoding.ASCII.GetString(tail).Contains("IEND") ? null : "truncated PNG (no IEND chunk)";
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot read: {e.Message}";
        }
    }

    private static string StripPath(string error, string path) => error.Replace($"'{path}' ", "", StringComparison.Ordinal);
}
