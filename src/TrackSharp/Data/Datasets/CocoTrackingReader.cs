using System.Globalization;
using TrackSharp.Detection.Data;
using TrackSharp.Geometry;

namespace TrackSharp.Data.Datasets;

/// <summary>
/// COCO as a tracking dataset, the way pytracking's and OSTrack's <c>MSCOCOSeq</c> use it to add still images to
/// training: every annotation of an instances JSON that is not a crowd region becomes a sequence of one frame (its
/// image) whose box is the annotation's <c>bbox</c>. Trackers then sample template and search "frames" from that single
/// image, so the samplers and processing need nothing special.
/// <para>
/// Tree: <c>ROOT/annotations/instances_&lt;split&gt;.json</c> with the images in <c>ROOT/images/&lt;split&gt;/</c>
/// (pytracking) or <c>ROOT/&lt;split&gt;/</c> (the COCO download, OSTrack). With several instances files,
/// <c>train2017</c> is taken, then <c>train2014</c>, then the first in name order (a note says which). The JSON is
/// parsed when the dataset is opened (it is the only list of sequences); no image is read until asked for.
/// </para>
/// <para>Sequence name: the annotation id. Attributes: <c>class</c>, <c>supercategory</c>, <c>image_id</c>, <c>split</c>.</para>
/// </summary>
public static class CocoTrackingReader
{
    private static readonly string[] PreferredSplits = ["train2017", "train2014"];

    /// <summary>True when <paramref name="root"/> holds <c>annotations/instances_*.json</c>.</summary>
    public static bool IsRoot(string root) => InstanceFiles(root).Count > 0;

    /// <summary>Instances files under <c>ROOT/annotations</c>, in name order.</summary>
    public static IReadOnlyList<string> InstanceFiles(string root)
    {
        string annotations = Path.Combine(root, "annotations");
        return Directory.Exists(annotations)
            ? Directory.EnumerateFiles(annotations, "instances_*.json").OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>Opens the COCO tree at <paramref name="root"/> with the instances file of <paramref name="split"/>
    /// (e.g. "val2017"), or the default split when null.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DatasetFormatException">No instances file (for that split).</exception>
    /// <exception cref="DetectionDataException">The JSON is malformed (names the file and the JSON path).</exception>
    public static SequenceDataset Open(string root, string? split = null)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"dataset folder '{root}' does not exist");
        root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        var findings = new List<DatasetProblem>();
        return new SequenceDataset(root, DatasetFormat.Coco, Read(root, findings, split), findings);
    }

    internal static List<TrackingSequence> Read(string root, List<DatasetProblem> findings, string? split = null)
    {
        var files = InstanceFiles(root);
        string annotations = Path.Combine(root, "annotations");
        string? json;
        if (split is not null)
        {
            json = Path.Combine(annotations, $"instances_{split}.json");
            if (!File.Exists(json))
                throw new DatasetFormatException(json, null,
                    $"no instances file for split '{split}' (found: {(files.Count == 0 ? "none" : string.Join(", ", files.Select(Path.GetFileName)))})");
        }
        else
        {
            if (files.Count == 0)
                throw new DatasetFormatException(annotations, null, "no instances_<split>.json file (COCO layout: annotations/instances_train2017.json + images/train2017/)");
            json = PreferredSplits.Select(s => Path.Combine(annotations, $"instances_{s}.json")).FirstOrDefault(File.Exists) ?? files[0];
            if (files.Count > 1)
                findings.Add(new DatasetProblem(json, null,
                    $"{files.Count} instances files; reading this one (choose another split with CocoTrackingReader.Open(root, split))",
                    ProblemSeverity.Info));
            split = Path.GetFileNameWithoutExtension(json)["instances_".Length..];
        }

        string imageFolder = new[] { Path.Combine(root, "images", split), Path.Combine(root, split) }.FirstOrDefault(Directory.Exists)
                             ?? Path.Combine(root, "images", split);
        if (!Directory.Exists(imageFolder))
            findings.Add(new DatasetProblem(imageFolder, null, $"image folder for split '{split}' not found (nor '{Path.Combine(root, split)}')"));

        var coco = CocoInstances.Load(json);
        var images = new Dictionary<long, CocoImage>();
        foreach (var image in coco.Images) images.TryAdd(image.Id, image);
        var categories = new Dictionary<long, CocoCategory>();
        foreach (var category in coco.Categories) categories.TryAdd(category.Id, category);

        var result = new List<TrackingSequence>();
        int crowd = 0;
        for (int i = 0; i < coco.Annotations.Count; i++)
        {
            var a = coco.Annotations[i];
            if (a.IsCrowd) { crowd++; continue; } // MSCOCOSeq keeps iscrowd == 0 only
            if (!images.TryGetValue(a.ImageId, out var image))
            {
                findings.Add(new DatasetProblem(json, null, $"annotations[{i}] (id {a.Id}): image_id {a.ImageId} is not in 'images'"));
                continue;
            }
            string name = a.Id.ToString(CultureInfo.InvariantCulture);
            string framePath = Path.Combine(imageFolder, image.FileName);
            var box = new BoxXywh(a.Box.X, a.Box.Y, a.Box.W, a.Box.H);
            string where = $"annotations[{i}]";
            categories.TryGetValue(a.CategoryId, out var category);
            var attributes = new Dictionary<string, string>
            {
                ["class"] = category?.Name ?? a.CategoryId.ToString(CultureInfo.InvariantCulture),
                ["supercategory"] = category?.Supercategory ?? "",
                ["image_id"] = a.ImageId.ToString(CultureInfo.InvariantCulture),
                ["split"] = split,
            };
            result.Add(new TrackingSequence(new SequenceSpec(name, DatasetFormat.Coco, imageFolder, json)
            {
                Attributes = () => attributes,
                Load = () => OneFrame(imageFolder, framePath, box, json, where),
            }));
        }
        if (crowd > 0)
            findings.Add(new DatasetProblem(json, null, $"{crowd} crowd annotation(s) skipped (iscrowd = 1), as MSCOCOSeq does", ProblemSeverity.Info));
        return result;
    }

    private static SequenceData OneFrame(string folder, string framePath, BoxXywh box, string json, string where)
    {
        var findings = new List<DatasetProblem>();
        if (box.Width < 0 || box.Height < 0)
            findings.Add(new DatasetProblem(json, null, $"negative size in {where}.bbox: {box.Width.ToString(CultureInfo.InvariantCulture)} x {box.Height.ToString(CultureInfo.InvariantCulture)}"));
        return new SequenceData
        {
            Listing = FrameListing.OfFiles(folder, [framePath]),
            Length = 1,
            AnnotationRows = 1,
            FramePaths = [Path.GetFullPath(framePath)],
            Boxes = [box],
            Malformed = [],
            Findings = findings,
        };
    }
}
