using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using OpenCvSharp;

namespace TrackSharp.Detection.Data;

/// <summary>
/// maskrcnn-benchmark's <c>PascalVOCDataset</c>: image ids from <c>ImageSets/Main/{split}.txt</c> in file order,
/// annotations from <c>Annotations/{id}.xml</c>, pixels from <c>JPEGImages/{id}.jpg</c>. Class names are lower-cased
/// and trimmed and mapped to the 20 VOC classes (label = position, 0 = background); objects marked
/// <c>difficult</c> are dropped unless <c>useDifficult</c>; corners become 0-based by subtracting 1 from VOC's
/// 1-based pixel indices; boxes are clipped to the image with empty ones removed. XML is parsed when a target or
/// size is asked for, and problems name the file, line and element.
/// </summary>
public sealed class PascalVocDataset : IDetectionDataset
{
    /// <summary>Background plus the 20 PASCAL VOC classes, in the reference's label order.</summary>
    public static IReadOnlyList<string> VocClasses { get; } =
    [
        "__background__", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
        "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ];

    private readonly string _root;
    private readonly string[] _ids;
    private readonly bool _useDifficult;
    private readonly Dictionary<string, int> _classToLabel;
    private readonly IReadOnlyList<string> _classes;

    public PascalVocDataset(string root, string split, bool useDifficult = false, IReadOnlyList<string>? classes = null)
    {
        _root = root;
        _useDifficult = useDifficult;
        _classes = classes ?? VocClasses;
        _classToLabel = _classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        string list = Path.Combine(root, "ImageSets", "Main", split + ".txt");
        if (!File.Exists(list)) throw new FileNotFoundException($"Pascal VOC image set '{list}' does not exist.", list);
        _ids = File.ReadAllLines(list).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
    }

    public int Count => _ids.Length;
    public IReadOnlyList<string> ClassNames => _classes;

    public string AnnotationPath(int index) => Path.Combine(_root, "Annotations", _ids[index] + ".xml");

    public DetectionImageInfo GetImageInfo(int index)
    {
        var (width, height, _) = Parse(index, sizeOnly: true);
        return new DetectionImageInfo(_ids[index], width, height, Path.Combine(_root, "JPEGImages", _ids[index] + ".jpg"));
    }

    public Mat LoadImage(int index) => DetectionImageReader.Read(GetImageInfo(index).Path);

    public DetectionTarget GetTarget(int index)
    {
        var (width, height, objects) = Parse(index, sizeOnly: false);
        var boxes = new float[4 * objects.Count];
        var labels = new long[objects.Count];
        var difficult = new bool[objects.Count];
        for (int i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            boxes[4 * i] = o.X1; boxes[4 * i + 1] = o.Y1; boxes[4 * i + 2] = o.X2; boxes[4 * i + 3] = o.Y2;
            labels[i] = o.Label;
            difficult[i] = o.Difficult;
        }
        return new DetectionTarget(boxes, labels, difficult, width, height).ClipToImage(removeEmpty: true);
    }

    private readonly record struct VocObject(float X1, float Y1, float X2, float Y2, long Label, bool Difficult);

    private (int Width, int Height, List<VocObject> Objects) Parse(int index, bool sizeOnly)
    {
        string path = AnnotationPath(index);
        if (!File.Exists(path)) throw new FileNotFoundException($"Pascal VOC annotation '{path}' does not exist.", path);
        XElement root;
        try
        {
            root = XDocument.Load(path, LoadOptions.SetLineInfo).Root
                   ?? throw new DetectionDataException(path, "empty XML document");
        }
        catch (XmlException e)
        {
            throw new DetectionDataException(path, $"line {e.LineNumber}: not valid XML: {e.Message}", e);
        }
        var size = Child(path, root, "size");
        int height = Integer(path, Child(path, size, "height"));
        int width = Integer(path, Child(path, size, "width"));
        var objects = new List<VocObject>();
        if (sizeOnly) return (width, height, objects);
        foreach (var obj in root.Elements("object"))
        {
            var d = obj.Element("difficult");
            bool difficult = d is not null && Integer(path, d) == 1;
            if (!_useDifficult && difficult) continue;
            var nameElement = Child(path, obj, "name");
            string name = nameElement.Value.ToLowerInvariant().Trim();
            if (!_classToLabel.TryGetValue(name, out int label) || label == 0)
                throw new DetectionDataException(path, $"line {Line(nameElement)}: <name>{name}</name> is not one of the classes ({string.Join(", ", _classes.Skip(1))})");
            var bb = Child(path, obj, "bndbox");
            // VOC pixel indices are 1-based: make them 0-based.
            float x1 = Integer(path, Child(path, bb, "xmin")) - 1, y1 = Integer(path, Child(path, bb, "ymin")) - 1;
            float x2 = Integer(path, Child(path, bb, "xmax")) - 1, y2 = Integer(path, Child(path, bb, "ymax")) - 1;
            objects.Add(new VocObject(x1, y1, x2, y2, label, difficult));
        }
        return (width, height, objects);
    }

    private static XElement Child(string path, XElement parent, string name) =>
        parent.Element(name) ?? throw new DetectionDataException(path, $"line {Line(parent)}: <{parent.Name}> has no <{name}> element");

    private static int Integer(string path, XElement e)
    {
        string text = e.Value.Trim();
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)) return v;
        throw new DetectionDataException(path, $"line {Line(e)}: <{e.Name}>{text}</{e.Name}> is not an integer");
    }

    private static int Line(XElement e) => ((IXmlLineInfo)e).HasLineInfo() ? ((IXmlLineInfo)e).LineNumber : 0;
}
