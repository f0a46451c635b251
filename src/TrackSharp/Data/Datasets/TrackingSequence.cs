using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Imaging;

namespace TrackSharp.Data.Datasets;

/// <summary>Where the files of one sequence are and which conventions its layout follows (built by the readers).</summary>
internal sealed record SequenceSpec(string Name, DatasetFormat Format, string FrameFolder, string AnnotationPath)
{
    /// <summary>One 0/1 per frame, 1 = target not in the frame (GOT-10k/custom <c>absence.label</c>, LaSOT <c>out_of_view.txt</c>).</summary>
    public string? AbsencePath { get; init; }

    /// <summary>One 0/1 per frame, 1 = target fully occluded (LaSOT <c>full_occlusion.txt</c>).</summary>
    public string? FullOcclusionPath { get; init; }

    /// <summary>One 0..8 per frame, the visible fraction in eighths (GOT-10k/custom <c>cover.label</c>).</summary>
    public string? CoverPath { get; init; }

    /// <summary>Reads the attributes when first asked for.</summary>
    public Func<IReadOnlyDictionary<string, string>>? Attributes { get; init; }

    /// <summary>Fewer annotation rows than images is the layout's own convention (OTB: Diving, Football1, Freeman3/4).</summary>
    public bool FewerRowsThanFramesIsConvention { get; init; }

    /// <summary>A single annotation row for many frames is the layout's own convention (GOT-10k test split).</summary>
    public bool FirstFrameOnlyIsConvention { get; init; }

    /// <summary>Builds the sequence's data when it is first used, for layouts whose annotations are not one text file
    /// per sequence (COCO's instances JSON, ImageNet-VID's XML per frame); null: parse <see cref="AnnotationPath"/>.</summary>
    public Func<SequenceData>? Load { get; init; }
}

/// <summary>
/// One annotated sequence of a dataset. Nothing is read when it is created: the frame folder is listed and the
/// annotation files are parsed on first use of <see cref="Length"/>, <see cref="FramePaths"/>, <see cref="GroundTruth"/>
/// or the flags, and images are decoded only by <see cref="ReadFrame"/> and <see cref="ImageSize"/>.
/// <para>
/// Frame <c>i</c> (0-based) is the i-th image in frame-number order and belongs to annotation row <c>i</c> (the
/// non-empty lines of the file), whatever number the first image carries (OTB David starts at 0300.jpg). Values are
/// kept as read (no 0/1-based shift, boxes may leave the image). When there are fewer annotation rows than images, the
/// sequence is the annotated frames (OTB Diving: 215 of 231 images), except for a single first-frame row (GOT-10k test
/// split), where every frame is in the sequence and the boxes after the first are unknown (NaN).
/// </para>
/// </summary>
public sealed class TrackingSequence
{
    private readonly SequenceSpec _spec;
    private readonly Lazy<SequenceData> _data;
    private readonly Lazy<IReadOnlyDictionary<string, string>> _attributes;
    private (int Width, int Height)? _imageSize;

    internal TrackingSequence(SequenceSpec spec)
    {
        _spec = spec;
        _data = new Lazy<SequenceData>(() => spec.Load?.Invoke() ?? SequenceData.Load(spec));
        _attributes = new Lazy<IReadOnlyDictionary<string, string>>(() =>
            spec.Attributes?.Invoke() ?? new Dictionary<string, string>());
    }

    /// <summary>Sequence name (OTB multi-target folders give "Jogging_1", "Jogging_2").</summary>
    public string Name => _spec.Name;

    /// <summary>The layout it was read from.</summary>
    public DatasetFormat Format => _spec.Format;

    /// <summary>The folder holding the frames.</summary>
    public string FrameFolder => _spec.FrameFolder;

    /// <summary>The ground-truth file.</summary>
    public string AnnotationPath => _spec.AnnotationPath;

    /// <summary>Number of frames in the sequence (= entries of <see cref="FramePaths"/> and <see cref="GroundTruth"/>).</summary>
    public int Length => Data.Length;

    /// <summary>Frame image paths in order; a missing file keeps its place under the name it should have.</summary>
    public IReadOnlyList<string> FramePaths => Data.FramePaths;

    /// <summary>Ground-truth box per frame, as read; all-NaN for a frame whose box is absent or unknown.</summary>
    /// <exception cref="DatasetFormatException">A malformed annotation or label line (names file and line).</exception>
    public IReadOnlyList<BoxXywh> GroundTruth => Strict.Boxes;

    /// <summary>Per frame: the target is not in the frame (GOT-10k/custom <c>absence.label</c>, LaSOT <c>out_of_view.txt</c>); null when the layout has no such file.</summary>
    public IReadOnlyList<bool>? Absent => Strict.Absent;

    /// <summary>Per frame: the target is fully occluded (LaSOT <c>full_occlusion.txt</c>); null when absent.</summary>
    public IReadOnlyList<bool>? FullOcclusion => Strict.FullOcclusion;

    /// <summary>Per frame: visible fraction of the target in eighths, 0..8 (GOT-10k <c>cover.label</c>); null when absent.</summary>
    public IReadOnlyList<int>? Cover => Strict.Cover;

    /// <summary>Attributes of the sequence (GOT-10k <c>meta_info.ini</c> keys, LaSOT <c>class</c> and <c>nlp</c>); empty when none.</summary>
    public IReadOnlyDictionary<string, string> Attributes => _attributes.Value;

    /// <summary>
    /// True when the target can be seen in frame <paramref name="index"/>: its box has a positive finite size, it
    /// is not absent nor fully occluded, and its cover (when known) is above 0 (pytracking's <c>target_visible</c>).
    /// </summary>
    public bool IsVisible(int index)
    {
        var d = Strict;
        return d.Boxes[index].IsValid && d.Absent?[index] != true && d.FullOcclusion?[index] != true
               && (d.Cover is null || d.Cover[index] > 0);
    }

    /// <summary>Width and height of the first frame, decoded on first use.</summary>
    /// <exception cref="IOException">No frame of the sequence can be read.</exception>
    public (int Width, int Height) ImageSize
    {
        get
        {
            if (_imageSize is { } s) return s;
            string? first = FramePaths.FirstOrDefault(File.Exists)
                ?? throw new FileNotFoundException($"sequence '{Name}': no frame image found in '{FrameFolder}'");
            using var image = ImageIO.Read(first);
            _imageSize = (image.Width, image.Height);
            return _imageSize.Value;
        }
    }

    /// <summary>Decodes frame <paramref name="index"/> as BGR uint8, as <c>cv2.imread</c> does. The caller disposes it.</summary>
    /// <exception cref="FileNotFoundException">The frame file is missing (the message names it).</exception>
    /// <exception cref="IOException">The frame cannot be decoded (the message names it).</exception>
    public Mat ReadFrame(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
        return ImageIO.Read(FramePaths[index]);
    }

    public override string ToString() => $"{Name} ({DatasetFormats.Name(Format)})";

    internal SequenceSpec Spec => _spec;

    internal SequenceData Data => _data.Value;

    private SequenceData Strict => Data.Malformed.Count > 0 ? throw new DatasetFormatException(Data.Malformed[0]) : Data;
}

/// <summary>What one sequence's files hold, parsed tolerantly, with every finding kept for the checker.</summary>
internal sealed class SequenceData
{
    public required FrameListing Listing { get; init; }
    public required int Length { get; init; }
    public required int AnnotationRows { get; init; }
    public required IReadOnlyList<string> FramePaths { get; init; }
    public required BoxXywh[] Boxes { get; init; }
    public bool[]? Absent { get; init; }
    public bool[]? FullOcclusion { get; init; }
    public int[]? Cover { get; init; }

    /// <summary>Lines that could not be read at all: reading the ground truth throws on the first.</summary>
    public required List<DatasetProblem> Malformed { get; init; }

    /// <summary>Every finding about the annotation files (malformed lines, negative sizes, label lengths, row counts).</summary>
    public required List<DatasetProblem> Findings { get; init; }

    public static SequenceData Load(SequenceSpec spec)
    {
        var listing = FrameListing.Of(spec.FrameFolder);
        var findings = new List<DatasetProblem>();
        var malformed = new List<DatasetProblem>();
        BoxXywh[] rows;
        if (File.Exists(spec.AnnotationPath))
        {
            (rows, var problems) = AnnotationText.ReadBoxes(spec.AnnotationPath);
            findings.AddRange(problems);
            malformed.AddRange(problems.Where(p => !p.Message.StartsWith("negative size", StringComparison.Ordinal)));
        }
        else
        {
            rows = [];
            var missing = new DatasetProblem(spec.AnnotationPath, null, "ground-truth file not found");
            findings.Add(missing);
            malformed.Add(missing);
        }

        int frames = listing.Paths.Count;
        string where = $"{spec.AnnotationPath}";
        int length;
        BoxXywh[] boxes = rows;
        if (rows.Length == 1 && frames > 1 && spec.FirstFrameOnlyIsConvention)
        {
            length = frames;
            boxes = new BoxXywh[frames];
            Array.Fill(boxes, AnnotationText.Unknown);
            boxes[0] = rows[0];
            findings.Add(new DatasetProblem(where, null,
                $"first-frame box only (1 row for {frames} frames, the GOT-10k and TrackingNet test-split convention): later boxes are unknown",
                ProblemSeverity.Info));
        }
        else if (rows.Length < frames)
        {
            length = rows.Length;
            findings.Add(spec.FewerRowsThanFramesIsConvention
                ? new DatasetProblem(where, null,
                    $"{rows.Length} annotation rows for {frames} images: the sequence is the first {rows.Length} frames " +
                    "(OTB convention, e.g. Diving), the rest are not evaluated", ProblemSeverity.Info)
                : new DatasetProblem(where, null, $"short ground truth: {rows.Length} rows for {frames} frames"));
        }
        else
        {
            length = listing.IsNumbered || rows.Length <= frames ? rows.Length : frames;
            boxes = rows.Length == length ? rows : rows[..length];
        }
        var paths = listing.Take(length);

        bool[]? absent = ReadFlags(spec.AbsencePath, length, findings, malformed, v => v != 0);
        bool[]? occlusion = ReadFlags(spec.FullOcclusionPath, length, findings, malformed, v => v != 0);
        int[]? cover = ReadFlags(spec.CoverPath, length, findings, malformed, v => v);

        return new SequenceData
        {
            Listing = listing, Length = length, AnnotationRows = rows.Length, FramePaths = paths, Boxes = boxes,
            Absent = absent, FullOcclusion = occlusion, Cover = cover, Malformed = malformed, Findings = findings,
        };
    }

    private static T[]? ReadFlags<T>(string? path, int length, List<DatasetProblem> findings, List<DatasetProblem> malformed,
        Func<int, T> convert)
    {
        if (path is null || !File.Exists(path)) return null;
        var (values, problems) = AnnotationText.ReadLabels(path);
        findings.AddRange(problems);
        malformed.AddRange(problems);
        // GOT-10k test sequences carry no labels; a file of another length than the sequence is a problem.
        if (values.Length != length)
            findings.Add(new DatasetProblem(path, null, $"{values.Length} labels for {length} frames"));
        var result = new T[length];
        for (int i = 0; i < length; i++) result[i] = convert(i < values.Length ? values[i] : 0);
        return result;
    }
}
