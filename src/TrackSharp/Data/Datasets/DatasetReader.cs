using System.Text.RegularExpressions;
using TrackSharp.Imaging;

namespace TrackSharp.Data.Datasets;

/// <summary>
/// Opens a dataset folder in any of the <see cref="DatasetFormat"/> layouts, detecting the layout when it is not
/// given. Opening lists sequence folders and list files only; annotation files are parsed and images decoded when a
/// sequence is first used (see <see cref="TrackingSequence"/>). Trees:
/// <list type="bullet">
/// <item>OTB: <c>ROOT/&lt;Seq&gt;/img/*.jpg</c> + <c>groundtruth_rect.txt</c> and/or <c>groundtruth_rect.&lt;k&gt;.txt</c> (one
///   sequence per file: "Jogging_1"); ROOT may also be one sequence folder. DTB70: the same tree.</item>
/// <item>VOT 2016-2018: <c>ROOT/list.txt</c> + <c>ROOT/&lt;seq&gt;/00000001.jpg</c> + <c>groundtruth.txt</c> (frames in
///   <c>&lt;seq&gt;/color/</c> when that folder exists, as in VOT2019+).</item>
/// <item>UAV123: <c>ROOT/data_seq/&lt;subset&gt;/&lt;seq&gt;/</c> + <c>ROOT/anno/&lt;subset&gt;/&lt;seq&gt;.txt</c>. Files
///   <c>&lt;seq&gt;_&lt;k&gt;.txt</c> that annotate a sub-range of another sequence's folder are skipped with a note: their
///   frame range is only in the UAV123 configuration table.</item>
/// <item>GOT-10k: <c>ROOT/list.txt</c> (optional) + <c>ROOT/GOT-10k_*_NNNNNN/</c>, also inside the download's split
///   folders <c>ROOT/GOT-10k_Train_split_NN/</c>; frames, <c>groundtruth.txt</c>, <c>absence.label</c>, <c>cover.label</c>,
///   <c>meta_info.ini</c> (attributes).</item>
/// <item>LaSOT: <c>ROOT/&lt;class&gt;/&lt;class&gt;-N/img/</c> + <c>groundtruth.txt</c>, <c>full_occlusion.txt</c>,
///   <c>out_of_view.txt</c> (absence), <c>nlp.txt</c> (attribute "nlp"; "class" too).</item>
/// <item>TrackingNet: <c>ROOT/TRAIN_0</c> .. <c>ROOT/TRAIN_11</c> and <c>ROOT/TEST</c> (or ROOT one such chunk), each with
///   <c>anno/&lt;video&gt;.txt</c> and <c>frames/&lt;video&gt;/0.jpg, 1.jpg ...</c> (numbered from 0, unpadded, so sorted
///   numerically); TEST annotations hold the first frame's box only. Sequences are named by video (unique over chunks).</item>
/// <item>Custom (your own data): <c>ROOT/&lt;seq&gt;/</c> holding the frames (or an <c>img/</c> folder of them) and
///   <c>groundtruth.txt</c>, one <c>x,y,w,h</c> row per frame (or an 8-number polygon); optional <c>absence.label</c>
///   and <c>cover.label</c>, one number per frame. ROOT may also be one such sequence folder.</item>
/// <item>COCO: see <see cref="CocoTrackingReader"/>. ImageNet-VID: see <see cref="ImagenetVidReader"/>.</item>
/// </list>
/// </summary>
public static class DatasetReader
{
    private static readonly Regex OtbAnnotation = new(@"^groundtruth_rect(?:\.(?<k>\d+))?\.txt$", RegexOptions.CultureInvariant);
    private static readonly Regex UavSubRange = new(@"^(?<base>.+)_(?<k>\d+)$", RegexOptions.CultureInvariant);

    /// <summary>Opens <paramref name="path"/> as <paramref name="format"/>, or as the detected layout when null.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DatasetFormatException">The layout cannot be detected (give the format), or a list file is unreadable.</exception>
    public static SequenceDataset Open(string path, DatasetFormat? format = null)
    {
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"dataset folder '{path}' does not exist");
        string root = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var f = format ?? Detect(root) ?? throw new DatasetFormatException(root, null,
            "cannot tell the dataset layout (expected OTB, VOT, UAV123, DTB70, GOT-10k, LaSOT, TrackingNet, COCO, ImageNet-VID or custom: see `datasets check --help`); give --format");
        var findings = new List<DatasetProblem>();
        var sequences = f switch
        {
            DatasetFormat.Otb or DatasetFormat.Dtb70 => ReadOtb(root, f, findings),
            DatasetFormat.Vot => ReadVot(root, findings),
            DatasetFormat.Uav123 => ReadUav123(root, findings),
            DatasetFormat.Got10k => ReadGot10k(root, findings),
            DatasetFormat.Lasot => ReadLasot(root, findings),
            DatasetFormat.TrackingNet => ReadTrackingNet(root, findings),
            DatasetFormat.Custom => ReadCustom(root, findings),
            DatasetFormat.Coco => CocoTrackingReader.Read(root, findings),
            DatasetFormat.ImagenetVid => ImagenetVidReader.Read(root, findings),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
        if (sequences.Count == 0)
            findings.Add(new DatasetProblem(root, null, $"no {DatasetFormats.Name(f)} sequences found"));
        return new SequenceDataset(root, f, sequences, findings);
    }

    /// <summary>The layout of <paramref name="path"/>, or null when it matches none.</summary>
    public static DatasetFormat? Detect(string path)
    {
        if (!Directory.Exists(path)) return null;
        if (Directory.Exists(Path.Combine(path, "data_seq")) && Directory.Exists(Path.Combine(path, "anno")))
            return DatasetFormat.Uav123;
        if (ImagenetVidReader.IsRoot(path)) return DatasetFormat.ImagenetVid;
        if (CocoTrackingReader.IsRoot(path)) return DatasetFormat.Coco;
        if (IsOtbSequence(path)) return OtbOrDtb(path);
        var subdirs = SubDirectories(path);
        if (IsTrackingNetChunk(path) || subdirs.Any(d => IsTrackingNetChunkName(Path.GetFileName(d)) && IsTrackingNetChunk(d)))
            return DatasetFormat.TrackingNet;
        if (subdirs.Any(d => IsGotSplitFolder(Path.GetFileName(d)))
            || subdirs.Any(d => Path.GetFileName(d).StartsWith("GOT-10k_", StringComparison.OrdinalIgnoreCase)))
            return DatasetFormat.Got10k;
        foreach (string dir in subdirs)
        {
            if (IsOtbSequence(dir)) return OtbOrDtb(dir);
            if (File.Exists(Path.Combine(dir, "groundtruth.txt")))
            {
                // absence.label alone is allowed in the custom layout; meta_info.ini is GOT-10k's own.
                if (File.Exists(Path.Combine(dir, "meta_info.ini"))) return DatasetFormat.Got10k;
                return File.Exists(Path.Combine(path, "list.txt")) ? DatasetFormat.Vot : DatasetFormat.Custom;
            }
            string cls = Path.GetFileName(dir);
            if (SubDirectories(dir).Any(s => Path.GetFileName(s).StartsWith(cls + "-", StringComparison.Ordinal)
                                             && File.Exists(Path.Combine(s, "groundtruth.txt"))))
                return DatasetFormat.Lasot;
        }
        if (File.Exists(Path.Combine(path, "groundtruth.txt"))) return DatasetFormat.Custom;
        return null;
    }

    // ---- OTB / DTB70 ----

    private static List<TrackingSequence> ReadOtb(string root, DatasetFormat format, List<DatasetProblem> findings)
    {
        var result = new List<TrackingSequence>();
        var folders = IsOtbSequence(root) ? [root] : SubDirectories(root);
        foreach (string folder in folders)
        {
            var annotations = Directory.EnumerateFiles(folder)
                .Select(f => (Path: f, Match: OtbAnnotation.Match(Path.GetFileName(f))))
                .Where(a => a.Match.Success)
                .OrderBy(a => a.Match.Groups["k"].Success ? int.Parse(a.Match.Groups["k"].Value) : 0)
                .ToList();
            string img = Path.Combine(folder, "img");
            if (annotations.Count == 0)
            {
                if (Directory.Exists(img))
                    findings.Add(new DatasetProblem(folder, null, "has img/ but no groundtruth_rect.txt or groundtruth_rect.<k>.txt"));
                continue;
            }
            string name = Path.GetFileName(folder);
            foreach (var (path, match) in annotations)
                result.Add(new TrackingSequence(new SequenceSpec(
                    match.Groups["k"].Success ? $"{name}_{match.Groups["k"].Value}" : name, format, img, path)
                {
                    FewerRowsThanFramesIsConvention = format == DatasetFormat.Otb,
                }));
        }
        return result;
    }

    private static bool IsOtbSequence(string dir) =>
        Directory.Exists(Path.Combine(dir, "img")) &&
        Directory.EnumerateFiles(dir).Any(f => OtbAnnotation.IsMatch(Path.GetFileName(f)));

    private static DatasetFormat OtbOrDtb(string sequenceFolder)
    {
        string? first = Directory.EnumerateFiles(Path.Combine(sequenceFolder, "img"))
            .FirstOrDefault(ImageFileReader.HasImageExtension);
        return first is not null && Path.GetFileNameWithoutExtension(first) is { Length: 5 } stem && stem.All(char.IsAsciiDigit)
            ? DatasetFormat.Dtb70
            : DatasetFormat.Otb;
    }

    // ---- VOT ----

    private static List<TrackingSequence> ReadVot(string root, List<DatasetProblem> findings)
    {
        var names = ListFile(root, findings) ??
                    SubDirectories(root).Where(d => File.Exists(Path.Combine(d, "groundtruth.txt"))).Select(Path.GetFileName).ToList()!;
        var result = new List<TrackingSequence>();
        foreach (var (name, line) in names.Select((n, i) => (n, i)))
        {
            string folder = Path.Combine(root, name);
            if (!Directory.Exists(folder))
            {
                findings.Add(new DatasetProblem(Path.Combine(root, "list.txt"), null, $"sequence '{name}' is listed but '{folder}' does not exist"));
                continue;
            }
            string frames = Directory.Exists(Path.Combine(folder, "color")) ? Path.Combine(folder, "color") : folder;
            result.Add(new TrackingSequence(new SequenceSpec(name, DatasetFormat.Vot, frames, Path.Combine(folder, "groundtruth.txt"))));
        }
        return result;
    }

    // ---- UAV123 ----

    private static List<TrackingSequence> ReadUav123(string root, List<DatasetProblem> findings)
    {
        string data = Path.Combine(root, "data_seq"), anno = Path.Combine(root, "anno");
        var subsets = SubDirectories(anno).Where(s => Directory.Exists(Path.Combine(data, Path.GetFileName(s)))).ToList();
        if (subsets.Count == 0)
            findings.Add(new DatasetProblem(anno, null, "no annotation folder with a matching data_seq/<subset> folder (e.g. anno/UAV123_10fps + data_seq/UAV123_10fps)"));
        var result = new List<TrackingSequence>();
        foreach (string subsetAnno in subsets)
        {
            string subset = Path.GetFileName(subsetAnno);
            string subsetData = Path.Combine(data, subset);
            var files = Directory.EnumerateFiles(subsetAnno, "*.txt").OrderBy(Path.GetFileName, NaturalStringComparer.Instance);
            foreach (string file in files)
            {
                string seq = Path.GetFileNameWithoutExtension(file);
                string folder = Path.Combine(subsetData, seq);
                if (!Directory.Exists(folder))
                {
                    var m = UavSubRange.Match(seq);
                    findings.Add(m.Success && Directory.Exists(Path.Combine(subsetData, m.Groups["base"].Value))
                        ? new DatasetProblem(file, null,
                            $"skipped: annotates a sub-range of '{m.Groups["base"].Value}' whose first frame only the UAV123 configuration table gives",
                            ProblemSeverity.Info)
                        : new DatasetProblem(file, null, $"no frame folder '{folder}' for this annotation"));
                    continue;
                }
                result.Add(new TrackingSequence(new SequenceSpec(subsets.Count > 1 ? $"{subset}/{seq}" : seq,
                    DatasetFormat.Uav123, folder, file)));
            }
        }
        return result;
    }

    // ---- GOT-10k ----

    private static List<TrackingSequence> ReadGot10k(string root, List<DatasetProblem> findings)
    {
        // Sequence folders directly under ROOT and inside the download's split folders (GOT-10k_Train_split_01 ...).
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string dir in SubDirectories(root))
        {
            if (IsGotSplitFolder(Path.GetFileName(dir)))
                foreach (string inner in SubDirectories(dir)) index.TryAdd(Path.GetFileName(inner), inner);
            else index.TryAdd(Path.GetFileName(dir), dir);
        }
        var names = ListFile(root, findings) ??
                    index.Where(kv => File.Exists(Path.Combine(kv.Value, "groundtruth.txt"))).Select(kv => kv.Key)
                        .OrderBy(n => n, NaturalStringComparer.Instance).ToList();
        var result = new List<TrackingSequence>();
        foreach (string name in names)
        {
            if (!index.TryGetValue(name, out string? folder))
            {
                findings.Add(new DatasetProblem(Path.Combine(root, "list.txt"), null,
                    $"sequence '{name}' is listed but has no folder under '{root}' or its split folders"));
                continue;
            }
            string meta = Path.Combine(folder, "meta_info.ini");
            result.Add(new TrackingSequence(new SequenceSpec(name, DatasetFormat.Got10k, folder, Path.Combine(folder, "groundtruth.txt"))
            {
                AbsencePath = Path.Combine(folder, "absence.label"),
                CoverPath = Path.Combine(folder, "cover.label"),
                Attributes = () => File.Exists(meta) ? ReadMetaInfo(meta) : new Dictionary<string, string>(),
                FirstFrameOnlyIsConvention = true,
            }));
        }
        return result;
    }

    private static bool IsGotSplitFolder(string name) =>
        name.StartsWith("GOT-10k_", StringComparison.OrdinalIgnoreCase) && name.Contains("_split_", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>meta_info.ini</c>: "key: value" lines under a "[METAINFO]" header.</summary>
    internal static Dictionary<string, string> ReadMetaInfo(string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (line, text) in AnnotationText.NonEmptyLines(path))
        {
            if (text.StartsWith('[') || text.StartsWith('#') || text.StartsWith(';')) continue;
            int colon = text.IndexOfAny([':', '=']);
            if (colon <= 0)
                throw new DatasetFormatException(path, line, $"expected 'key: value', got '{text}'");
            result[text[..colon].Trim()] = text[(colon + 1)..].Trim();
        }
        return result;
    }

    // ---- LaSOT ----

    private static List<TrackingSequence> ReadLasot(string root, List<DatasetProblem> findings)
    {
        var result = new List<TrackingSequence>();
        foreach (string classDir in SubDirectories(root))
        {
            string cls = Path.GetFileName(classDir);
            foreach (string seqDir in SubDirectories(classDir))
            {
                if (!File.Exists(Path.Combine(seqDir, "groundtruth.txt")))
                {
                    if (Directory.Exists(Path.Combine(seqDir, "img")))
                        findings.Add(new DatasetProblem(seqDir, null, "has img/ but no groundtruth.txt"));
                    continue;
                }
                string nlp = Path.Combine(seqDir, "nlp.txt");
                result.Add(new TrackingSequence(new SequenceSpec(Path.GetFileName(seqDir), DatasetFormat.Lasot,
                    Path.Combine(seqDir, "img"), Path.Combine(seqDir, "groundtruth.txt"))
                {
                    AbsencePath = Path.Combine(seqDir, "out_of_view.txt"),
                    FullOcclusionPath = Path.Combine(seqDir, "full_occlusion.txt"),
                    Attributes = () =>
                    {
                        var a = new Dictionary<string, string> { ["class"] = cls };
                        if (File.Exists(nlp)) a["nlp"] = File.ReadAllText(nlp).Trim();
                        return a;
                    },
                }));
            }
        }
        return result;
    }

    // ---- TrackingNet ----

    private static List<TrackingSequence> ReadTrackingNet(string root, List<DatasetProblem> findings)
    {
        var chunks = IsTrackingNetChunk(root)
            ? [root]
            : SubDirectories(root).Where(d => IsTrackingNetChunkName(Path.GetFileName(d))).ToList();
        var result = new List<TrackingSequence>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string chunk in chunks)
        {
            string anno = Path.Combine(chunk, "anno"), frames = Path.Combine(chunk, "frames");
            if (!Directory.Exists(anno))
            {
                findings.Add(new DatasetProblem(chunk, null, "TrackingNet chunk without an anno/ folder"));
                continue;
            }
            var files = Directory.EnumerateFiles(anno, "*.txt").OrderBy(Path.GetFileName, NaturalStringComparer.Instance);
            foreach (string file in files)
            {
                string video = Path.GetFileNameWithoutExtension(file);
                if (!seen.TryAdd(video, file))
                {
                    findings.Add(new DatasetProblem(file, null, $"video '{video}' is also annotated in '{seen[video]}'; this copy is skipped"));
                    continue;
                }
                string folder = Path.Combine(frames, video);
                if (!Directory.Exists(folder))
                    findings.Add(new DatasetProblem(file, null, $"no frame folder '{folder}' for this annotation"));
                result.Add(new TrackingSequence(new SequenceSpec(video, DatasetFormat.TrackingNet, folder, file)
                {
                    FirstFrameOnlyIsConvention = Path.GetFileName(chunk) == "TEST", // TEST gives the first box only
                    Attributes = () => new Dictionary<string, string> { ["chunk"] = Path.GetFileName(chunk) },
                }));
            }
            foreach (string d in SubDirectories(frames))
                if (!File.Exists(Path.Combine(anno, Path.GetFileName(d) + ".txt")))
                    findings.Add(new DatasetProblem(d, null, $"frame folder without an annotation '{Path.Combine(anno, Path.GetFileName(d) + ".txt")}'"));
        }
        return result;
    }

    private static bool IsTrackingNetChunkName(string name) =>
        name == "TEST" || (name.StartsWith("TRAIN_", StringComparison.Ordinal) && name.Length > 6 && name[6..].All(char.IsAsciiDigit));

    private static bool IsTrackingNetChunk(string dir) =>
        Directory.Exists(Path.Combine(dir, "anno")) && Directory.Exists(Path.Combine(dir, "frames"));

    // ---- custom ----

    private static List<TrackingSequence> ReadCustom(string root, List<DatasetProblem> findings)
    {
        var folders = File.Exists(Path.Combine(root, "groundtruth.txt"))
            ? [root]
            : SubDirectories(root).Where(d => File.Exists(Path.Combine(d, "groundtruth.txt"))).ToList();
        foreach (string d in SubDirectories(root).Except(folders))
            if (FrameListing.Of(d).FilesOnDisk > 0)
                findings.Add(new DatasetProblem(d, null, "holds frames but no groundtruth.txt"));
        return folders.Select(folder =>
        {
            string frames = Directory.Exists(Path.Combine(folder, "img")) ? Path.Combine(folder, "img") : folder;
            return new TrackingSequence(new SequenceSpec(Path.GetFileName(folder), DatasetFormat.Custom, frames,
                Path.Combine(folder, "groundtruth.txt"))
            {
                AbsencePath = Path.Combine(folder, "absence.label"),
                CoverPath = Path.Combine(folder, "cover.label"),
            });
        }).ToList();
    }

    // ---- shared ----

    private static List<string> SubDirectories(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateDirectories(path).Where(d => !Path.GetFileName(d).StartsWith('.'))
                .OrderBy(Path.GetFileName, NaturalStringComparer.Instance).ToList()
            : [];

    /// <summary>Names in ROOT/list.txt (one per non-empty line), or null when there is no list file.</summary>
    private static List<string>? ListFile(string root, List<DatasetProblem> findings)
    {
        string list = Path.Combine(root, "list.txt");
        if (!File.Exists(list)) return null;
        var names = AnnotationText.NonEmptyLines(list).Select(l => l.Text).ToList();
        foreach (var dup in names.GroupBy(n => n).Where(g => g.Count() > 1))
            findings.Add(new DatasetProblem(list, null, $"sequence '{dup.Key}' is listed {dup.Count()} times"));
        return names.Distinct().ToList();
    }
}
