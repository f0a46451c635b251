using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using TrackSharp.Geometry;

namespace TrackSharp.Data.Datasets;

/// <summary>
/// ImageNet-VID (ILSVRC2015 VID) as a tracking dataset, with pytracking's <c>ImagenetVID</c> semantics: one sequence per
/// track id of a video, from the first annotation file that holds the id to the last one before the first file that
/// lacks it (a track that comes back later is not continued, as in the reference); box
/// <c>[xmin, ymin, xmax − xmin, ymax − ymin]</c>; a frame whose object is <c>occluded</c> (≠ 0) is not visible.
/// <para>
/// Tree (ROOT = the <c>ILSVRC2015</c> folder): <c>Annotations/VID/&lt;split&gt;/[&lt;set&gt;/]&lt;video&gt;/000000.xml ...</c>
/// and the frames at the same relative place under <c>Data/VID/&lt;split&gt;/</c> with the annotation's name and
/// <c>.JPEG</c> (the reference formats the frame number; the names agree because both are numbered from 000000).
/// The train split has set folders (<c>ILSVRC2015_VID_train_0000</c> ...), val has none. The XML files are parsed
/// when the dataset is opened because the track ids are only known from them (nothing is decoded); a malformed file
/// is reported with its line and its video skipped.
/// </para>
/// <para>Sequence name: <c>&lt;video&gt;_&lt;trackid&gt;</c>. Attributes: <c>class</c> (the WordNet id, e.g. n02691156),
/// <c>video</c>, <c>trackid</c>, <c>first_frame</c> (index of the track's first annotation file), <c>image_width</c>,
/// <c>image_height</c>. The occluded flags are exposed as <see cref="TrackingSequence.FullOcclusion"/>, which is what
/// <see cref="TrackingSequence.IsVisible"/> reads.</para>
/// </summary>
public static class ImagenetVidReader
{
    /// <summary>True when <paramref name="root"/> holds <c>Annotations/VID</c> and <c>Data/VID</c>.</summary>
    public static bool IsRoot(string root) =>
        Directory.Exists(Path.Combine(root, "Annotations", "VID")) && Directory.Exists(Path.Combine(root, "Data", "VID"));

    /// <summary>Opens the ILSVRC2015 tree at <paramref name="root"/>, split "train" (default) or "val".</summary>
    /// <exception cref="DirectoryNotFoundException">The folder or the split's annotation folder does not exist.</exception>
    public static SequenceDataset Open(string root, string split = "train")
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"dataset folder '{root}' does not exist");
        root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        var findings = new List<DatasetProblem>();
        return new SequenceDataset(root, DatasetFormat.ImagenetVid, Read(root, findings, split), findings);
    }

    internal static List<TrackingSequence> Read(string root, List<DatasetProblem> findings, string split = "train")
    {
        string annotationRoot = Path.Combine(root, "Annotations", "VID", split);
        string dataRoot = Path.Combine(root, "Data", "VID", split);
        if (!Directory.Exists(annotationRoot))
            throw new DirectoryNotFoundException($"ImageNet-VID annotation folder '{annotationRoot}' does not exist");
        var result = new List<TrackingSequence>();
        foreach (string videoFolder in VideoFolders(annotationRoot))
        {
            string relative = Path.GetRelativePath(annotationRoot, videoFolder);
            string frameFolder = Path.Combine(dataRoot, relative);
            if (!Directory.Exists(frameFolder))
                findings.Add(new DatasetProblem(videoFolder, null, $"no frame folder '{frameFolder}' for these annotations"));
            try
            {
                result.AddRange(ReadVideo(videoFolder, frameFolder));
            }
            catch (DatasetFormatException e)
            {
                findings.Add(new DatasetProblem(e.File, e.Line, e.Message.Replace($"{e.File}:{e.Line}: ", "").Replace($"{e.File}: ", "") + "; video skipped"));
            }
        }
        return result;
    }

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

    private sealed record VidObject(string TrackId, string Class, BoxXywh Box, bool Occluded);

    private static IEnumerable<TrackingSequence> ReadVideo(string videoFolder, string frameFolder)
    {
        var files = Directory.EnumerateFiles(videoFolder, "*.xml").OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();
        var perFrame = new List<List<VidObject>>(files.Count);
        int width = 0, height = 0;
        for (int f = 0; f < files.Count; f++)
        {
            var doc = Load(files[f]);
            if (f == 0)
            {
                width = (int)Number(files[0], doc.Root!, "size/width");
                height = (int)Number(files[0], doc.Root!, "size/height");
            }
            perFrame.Add(doc.Root!.Elements("object").Select(o => ReadObject(files[f], o)).ToList());
        }

        // Track ids in order of first appearance, then each track up to its first gap.
        var starts = new List<(string Id, int Start)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int f = 0; f < perFrame.Count; f++)
            foreach (var o in perFrame[f])
                if (seen.Add(o.TrackId)) starts.Add((o.TrackId, f));

        string video = Path.GetFileName(videoFolder);
        foreach (var (id, start) in starts)
        {
            var track = new List<VidObject>();
            for (int f = start; f < perFrame.Count; f++)
            {
                var o = perFrame[f].FirstOrDefault(x => x.TrackId == id);
                if (o is null) break;
                track.Add(o);
            }
            var paths = files.Skip(start).Take(track.Count)
                .Select(x => Path.Combine(frameFolder, Path.GetFileNameWithoutExtension(x) + ".JPEG")).ToList();
            var boxes = track.Select(o => o.Box).ToArray();
            var occluded = track.Select(o => o.Occluded).ToArray();
            var attributes = new Dictionary<string, string>
            {
                ["class"] = track[0].Class,
                ["video"] = video,
                ["trackid"] = id,
                ["first_frame"] = start.ToString(CultureInfo.InvariantCulture),
                ["image_width"] = width.ToString(CultureInfo.InvariantCulture),
                ["image_height"] = height.ToString(CultureInfo.InvariantCulture),
            };
            string firstFile = files[start];
            yield return new TrackingSequence(new SequenceSpec($"{video}_{id}", DatasetFormat.ImagenetVid, frameFolder, firstFile)
            {
                Attributes = () => attributes,
                Load = () => new SequenceData
                {
                    Listing = FrameListing.OfFiles(frameFolder, paths),
                    Length = boxes.Length,
                    AnnotationRows = boxes.Length,
                    FramePaths = paths.Select(Path.GetFullPath).ToList(),
                    Boxes = boxes,
                    FullOcclusion = occluded,
                    Malformed = [],
                    Findings = [],
                },
            });
        }
    }

    internal static XDocument Load(string path)
    {
        try
        {
            var doc = XDocument.Load(path, LoadOptions.SetLineInfo);
            if (doc.Root is null || doc.Root.Name != "annotation")
                throw new DatasetFormatException(path, 1, $"expected an <annotation> root element, found <{doc.Root?.Name}>");
            return doc;
        }
        catch (XmlException e)
        {
            throw new DatasetFormatException(path, e.LineNumber > 0 ? e.LineNumber : null, $"malformed XML: {e.Message}", e);
        }
    }

    private static VidObject ReadObject(string path, XElement o)
    {
        string trackId = Text(path, o, "trackid");
        string name = Text(path, o, "name");
        double xmin = Number(path, o, "bndbox/xmin"), ymin = Number(path, o, "bndbox/ymin");
        double xmax = Number(path, o, "bndbox/xmax"), ymax = Number(path, o, "bndbox/ymax");
        var occludedElement = o.Element("occluded");
        bool occluded = occludedElement is not null && occludedElement.Value.Trim() != "0";
        return new VidObject(trackId, name, new BoxXywh(xmin, ymin, xmax - xmin, ymax - ymin), occluded);
    }

    internal static string Text(string path, XElement parent, string childPath)
    {
        XElement? e = parent;
        foreach (string part in childPath.Split('/')) e = e?.Element(part);
        if (e is null)
            throw new DatasetFormatException(path, LineOf(parent), $"<{parent.Name}> has no <{childPath}>");
        return e.Value.Trim();
    }

    internal static double Number(string path, XElement parent, string childPath)
    {
        string text = Text(path, parent, childPath);
        XElement e = parent;
        foreach (string part in childPath.Split('/')) e = e.Element(part)!;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new DatasetFormatException(path, LineOf(e), $"<{childPath}> is not a number: '{text}'");
        return v;
    }

    private static int? LineOf(XElement e) => e is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : null;
}
