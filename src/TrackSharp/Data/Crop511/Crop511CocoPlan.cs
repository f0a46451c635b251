using TrackSharp.Data.Datasets;
using TrackSharp.Detection.Data;
using TrackSharp.Geometry;

namespace TrackSharp.Data.Crop511;

/// <summary>
/// COCO in pysot's crop511 layout, as <c>training_dataset/coco/par_crop.py</c> and <c>gen_json.py</c> make it: one video
/// per image that has annotations, keyed <c>&lt;split&gt;/&lt;file stem&gt;</c> (the file name's last path part up to its
/// first '.'); its tracks are the image's annotations in file order, <b>crowd regions included</b> (pysot asks pycocotools
/// for <c>iscrowd=None</c>), numbered from 00; an annotation whose <c>bbox</c> width or height is ≤ 0 is skipped but keeps
/// its number. Every track has the single frame <c>000000</c> with box <c>[x, y, x + w, y + h]</c>.
/// <para>Tree: <c>ROOT/annotations/instances_&lt;split&gt;.json</c> with the images in <c>ROOT/&lt;split&gt;/</c> (the COCO
/// download, what pysot reads) or <c>ROOT/images/&lt;split&gt;/</c> (pytracking). Default split: <c>train2017</c>, then
/// <c>train2014</c>, then the first instances file in name order.</para>
/// </summary>
public static class Crop511CocoPlan
{
    private static readonly string[] PreferredSplits = ["train2017", "train2014"];

    /// <summary>The videos of the COCO tree at <paramref name="root"/> for <paramref name="split"/> (or the default split).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder or the split's image folder does not exist.</exception>
    /// <exception cref="DatasetFormatException">No instances file (for that split).</exception>
    /// <exception cref="DetectionDataException">The JSON is malformed (names the file and the JSON path).</exception>
    public static IReadOnlyList<Crop511Video> Build(string root, string? split = null)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"dataset folder '{root}' does not exist");
        string json = InstancesFile(root, ref split);
        string imageFolder = new[] { Path.Combine(root, split!), Path.Combine(root, "images", split!) }.FirstOrDefault(Directory.Exists)
                             ?? throw new DirectoryNotFoundException($"image folder for split '{split}' not found: neither '{Path.Combine(root, split!)}' nor '{Path.Combine(root, "images", split!)}'");
        var coco = CocoInstances.Load(json);
        var perImage = new Dictionary<long, List<CocoAnnotation>>();
        foreach (var a in coco.Annotations)
        {
            if (!perImage.TryGetValue(a.ImageId, out var list)) perImage[a.ImageId] = list = [];
            list.Add(a);
        }
        // pycocotools keeps the last image entry of a repeated id, at the position of the first
        var images = new Dictionary<long, CocoImage>();
        var order = new List<long>();
        foreach (var image in coco.Images)
        {
            if (!images.ContainsKey(image.Id)) order.Add(image.Id);
            images[image.Id] = image;
        }

        var videos = new List<Crop511Video>();
        foreach (long id in order)
        {
            if (!perImage.TryGetValue(id, out var annotations)) continue;
            var image = images[id];
            string name = image.FileName.Split('/')[^1];
            int dot = name.IndexOf('.', StringComparison.Ordinal);
            string key = $"{split}/{(dot < 0 ? name : name[..dot])}";
            var objects = new List<Crop511Object>();
            var tracks = new SortedDictionary<string, IReadOnlyDictionary<string, BoxXyxy>>(StringComparer.Ordinal);
            for (int track = 0; track < annotations.Count; track++)
            {
                var b = annotations[track].Box;
                if (b.W <= 0 || b.H <= 0) continue;
                var box = new BoxXyxy(b.X, b.Y, b.X + b.W, b.Y + b.H);
                objects.Add(new Crop511Object(track, box));
                tracks[Crop511Layout.TrackKey(track)] = new Dictionary<string, BoxXyxy> { [Crop511Layout.FrameKey(0)] = box };
            }
            videos.Add(new Crop511Video(key, [new Crop511Image(Path.Combine(imageFolder, image.FileName), 0, objects)], tracks));
        }
        return videos;
    }

    private static string InstancesFile(string root, ref string? split)
    {
        string annotations = Path.Combine(root, "annotations");
        var files = CocoTrackingReader.InstanceFiles(root);
        if (split is not null)
        {
            string json = Path.Combine(annotations, $"instances_{split}.json");
            if (!File.Exists(json))
                throw new DatasetFormatException(json, null,
                    $"no instances file for split '{split}' (found: {(files.Count == 0 ? "none" : string.Join(", ", files.Select(Path.GetFileName)))})");
            return json;
        }
        if (files.Count == 0)
            throw new DatasetFormatException(annotations, null, "no instances_<split>.json file (COCO layout: annotations/instances_train2017.json + train2017/)");
        string chosen = PreferredSplits.Select(s => Path.Combine(annotations, $"instances_{s}.json")).FirstOrDefault(File.Exists) ?? files[0];
        split = Path.GetFileNameWithoutExtension(chosen)["instances_".Length..];
        return chosen;
    }
}
