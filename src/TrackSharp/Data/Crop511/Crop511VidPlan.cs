using System.Globalization;
using System.Xml.Linq;
using TrackSharp.Data.Datasets;
using TrackSharp.Geometry;

namespace TrackSharp.Data.Crop511;

/// <summary>
/// ImageNet-VID (ILSVRC2015) in pysot's crop511 layout, as <c>training_dataset/vid/par_crop.py</c>, <c>parse_vid.py</c>
/// and <c>gen_json.py</c> make it. One video per annotation folder, keyed by its path under
/// <c>Annotations/VID/&lt;split&gt;/</c> (<c>ILSVRC2015_VID_train_0000/ILSVRC2015_train_00000000</c>; pysot's symlinks
/// name the set folders <c>a</c>..<c>d</c> instead).
/// <list type="bullet">
/// <item>Crops (par_crop.py): every <c>&lt;object&gt;</c> of every XML, occluded or not, becomes
///   <c>{int(&lt;filename&gt;):06d}.{trackid:02d}.x.jpg</c> from the JPEG at the same place under <c>Data/VID</c>; box
///   <c>[xmin, ymin, xmax, ymax]</c> as written (no +1). An object with an empty box is not cropped (pysot would divide by
///   zero there).</item>
/// <item>JSON (gen_json.py): for each track id in order of first appearance, the frame positions (index in the sorted XML
///   list) holding it are split into runs of consecutive positions, runs of one frame are dropped, and each remaining run
///   <b>replaces</b> the previous one under the same track key, so the track keeps its <b>last</b> run of ≥ 2 frames;
///   frame keys are the XML file stems. A video with any object gets an entry, possibly <c>{}</c>.</item>
/// </list>
/// </summary>
public static class Crop511VidPlan
{
    /// <summary>The videos of the ILSVRC2015 tree at <paramref name="root"/> for <paramref name="split"/> ("train" or "val").</summary>
    /// <exception cref="DirectoryNotFoundException">The folder or the split's annotation folder does not exist.</exception>
    /// <exception cref="DatasetFormatException">An XML file is malformed or lacks a field (names the file and line).</exception>
    public static IReadOnlyList<Crop511Video> Build(string root, string split = "train")
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"dataset folder '{root}' does not exist");
        string annotationRoot = Path.Combine(root, "Annotations", "VID", split);
        string dataRoot = Path.Combine(root, "Data", "VID", split);
        if (!Directory.Exists(annotationRoot))
            throw new DirectoryNotFoundException($"ImageNet-VID annotation folder '{annotationRoot}' does not exist");
        return VideoFolders(annotationRoot)
            .Select(folder => Video(folder, Path.GetRelativePath(annotationRoot, folder), dataRoot))
            .ToList();
    }

    private sealed record VidObject(int TrackId, BoxXyxy Box);

    private static Crop511Video Video(string folder, string relative, string dataRoot)
    {
        var xmls = Directory.EnumerateFiles(folder, "*.xml").OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();
        var images = new List<Crop511Image>(xmls.Count);
        var perFrame = new List<List<VidObject>>(xmls.Count);
        foreach (string xml in xmls)
        {
            var doc = ImagenetVidReader.Load(xml);
            string filename = ImagenetVidReader.Text(xml, doc.Root!, "filename");
            if (!int.TryParse(filename, NumberStyles.Integer, CultureInfo.InvariantCulture, out int frame))
                throw new DatasetFormatException(xml, null, $"<filename> is not a frame number: '{filename}'");
            var objects = doc.Root!.Elements("object").Select(o => ReadObject(xml, o)).ToList();
            perFrame.Add(objects);
            string jpeg = Path.Combine(dataRoot, relative, Path.GetFileNameWithoutExtension(xml) + ".JPEG");
            images.Add(new Crop511Image(jpeg, frame, objects
                .Where(o => o.Box.X2 - o.Box.X1 > 0 && o.Box.Y2 - o.Box.Y1 > 0)
                .Select(o => new Crop511Object(o.TrackId, o.Box)).ToList()));
        }

        Dictionary<string, IReadOnlyDictionary<string, BoxXyxy>>? tracks = null;
        var firstSeen = new List<int>();
        var positions = new Dictionary<int, List<int>>();
        for (int f = 0; f < perFrame.Count; f++)
            foreach (var o in perFrame[f])
            {
                if (!positions.TryGetValue(o.TrackId, out var list)) { positions[o.TrackId] = list = []; firstSeen.Add(o.TrackId); }
                list.Add(f);
            }
        if (firstSeen.Count > 0) tracks = [];
        foreach (int id in firstSeen)
        {
            var frames = positions[id];
            frames.Sort();
            int start = 0;
            for (int i = 1; i <= frames.Count; i++)
            {
                if (i < frames.Count && frames[i] - frames[i - 1] <= 1) continue;
                if (i - start > 1)
                {
                    var snippet = new Dictionary<string, BoxXyxy>(StringComparer.Ordinal);
                    for (int k = start; k < i; k++)
                        snippet[Path.GetFileNameWithoutExtension(xmls[frames[k]])] = perFrame[frames[k]].Last(o => o.TrackId == id).Box;
                    tracks![Crop511Layout.TrackKey(id)] = snippet;
                }
                start = i;
            }
        }
        return new Crop511Video(relative.Replace(Path.DirectorySeparatorChar, '/'), images, tracks);
    }

    private static VidObject ReadObject(string xml, XElement o)
    {
        string trackText = ImagenetVidReader.Text(xml, o, "trackid");
        if (!int.TryParse(trackText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int trackId) || trackId < 0)
            throw new DatasetFormatException(xml, LineOf(o), $"<trackid> is not a non-negative integer: '{trackText}'");
        return new VidObject(trackId, new BoxXyxy(
            ImagenetVidReader.Number(xml, o, "bndbox/xmin"), ImagenetVidReader.Number(xml, o, "bndbox/ymin"),
            ImagenetVidReader.Number(xml, o, "bndbox/xmax"), ImagenetVidReader.Number(xml, o, "bndbox/ymax")));
    }

    private static int? LineOf(XElement e) => e is System.Xml.IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : null;

    /// <summary>Folders holding <c>*.xml</c> files, depth first in name order (train: set/video, val: video).</summary>
    private static IEnumerable<string> VideoFolders(string folder)
    {
        foreach (string dir in Directory.EnumerateDirectories(folder).OrderBy(Path.GetFileName, StringComparer.Ordinal))
        {
            if (Path.GetFileName(dir).StartsWith('.')) continue;
            if (Directory.EnumerateFiles(dir, "*.xml").Any()) yield return dir;
            else foreach (string inner in VideoFolders(dir)) yield return inner;
        }
    }
}
