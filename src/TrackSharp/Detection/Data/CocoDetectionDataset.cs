using OpenCvSharp;

namespace TrackSharp.Detection.Data;

/// <summary>
/// maskrcnn-benchmark's <c>COCODataset</c> for box detection: images sorted by id; for training
/// (<c>removeImagesWithoutAnnotations</c>) only images with at least one annotation whose box is wider and taller than
/// one pixel (crowds count here); category ids mapped to contiguous labels <c>1..K</c> in ascending id order (label 0
/// is the background); crowd annotations left out of the targets; <c>xywh</c> boxes converted to inclusive xyxy
/// (<c>x2 = x + max(w - 1, 0)</c> in float32) and clipped to the image, empty ones removed.
/// </summary>
public sealed class CocoDetectionDataset : IDetectionDataset
{
    private readonly CocoInstances _instances;
    private readonly string _imageRoot;
    private readonly CocoImage[] _images;
    private readonly Dictionary<long, List<CocoAnnotation>> _annotationsByImage = new();
    private readonly Dictionary<long, long> _jsonToContiguous = new();
    private readonly long[] _contiguousToJson;
    private readonly string[] _classNames;

    public CocoDetectionDataset(string annotationFile, string imageRoot, bool removeImagesWithoutAnnotations)
        : this(CocoInstances.Load(annotationFile), imageRoot, removeImagesWithoutAnnotations) { }

    public CocoDetectionDataset(CocoInstances instances, string imageRoot, bool removeImagesWithoutAnnotations)
    {
        _instances = instances;
        _imageRoot = imageRoot;
        var categoryIds = instances.Categories.Select(c => c.Id).Distinct().Order().ToArray();
        _contiguousToJson = new long[categoryIds.Length + 1];
        _classNames = new string[categoryIds.Length + 1];
        _classNames[0] = "__background__";
        var names = instances.Categories.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.Last().Name);
        for (int i = 0; i < categoryIds.Length; i++)
        {
            _jsonToContiguous[categoryIds[i]] = i + 1;
            _contiguousToJson[i + 1] = categoryIds[i];
            _classNames[i + 1] = names[categoryIds[i]];
        }
        for (int i = 0; i < instances.Annotations.Count; i++)
        {
            var a = instances.Annotations[i];
            if (!_jsonToContiguous.ContainsKey(a.CategoryId))
                throw new DetectionDataException(instances.Source, $"annotations[{i}].category_id: category {a.CategoryId} is not in 'categories'");
            if (!_annotationsByImage.TryGetValue(a.ImageId, out var list)) _annotationsByImage[a.ImageId] = list = [];
            list.Add(a);
        }
        var images = instances.Images.GroupBy(im => im.Id).Select(g => g.Last()).OrderBy(im => im.Id);
        if (removeImagesWithoutAnnotations) images = images.Where(im => HasValidAnnotation(AnnotationsOf(im.Id))).OrderBy(im => im.Id);
        _images = images.ToArray();
        foreach (var im in _images)
            if (im.Width <= 0 || im.Height <= 0)
                throw new DetectionDataException(instances.Source, $"image id {im.Id} ('{im.FileName}'): missing or non-positive 'width'/'height'");
    }

    /// <summary>maskrcnn-benchmark's <c>has_valid_annotation</c> for boxes: some annotation with <c>w &gt; 1</c> and <c>h &gt; 1</c>.</summary>
    private static bool HasValidAnnotation(IReadOnlyList<CocoAnnotation> annotations) =>
        annotations.Any(a => a.Box.W > 1 && a.Box.H > 1);

    private IReadOnlyList<CocoAnnotation> AnnotationsOf(long imageId) =>
        _annotationsByImage.TryGetValue(imageId, out var list) ? list : [];

    public int Count => _images.Length;
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>The COCO image id of dataset index <paramref name="index"/> (for writing results).</summary>
    public long ImageId(int index) => _images[index].Id;

    /// <summary>Contiguous label to COCO category id (<c>contiguous_category_id_to_json_id</c>).</summary>
    public long CategoryIdOf(long contiguousLabel) => _contiguousToJson[contiguousLabel];

    /// <summary>COCO category id to contiguous label (<c>json_category_id_to_contiguous_id</c>).</summary>
    public long LabelOf(long categoryId) => _jsonToContiguous[categoryId];

    public DetectionImageInfo GetImageInfo(int index)
    {
        var im = _images[index];
        return new DetectionImageInfo(im.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), im.Width, im.Height,
            System.IO.Path.Combine(_imageRoot, im.FileName));
    }

    public Mat LoadImage(int index) => DetectionImageReader.Read(GetImageInfo(index).Path);

    public DetectionTarget GetTarget(int index)
    {
        var im = _images[index];
        var boxes = new List<float>();
        var labels = new List<long>();
        foreach (var a in AnnotationsOf(im.Id))
        {
            if (a.IsCrowd) continue;
            float x = (float)a.Box.X, y = (float)a.Box.Y, w = (float)a.Box.W, h = (float)a.Box.H;
            boxes.AddRange([x, y, x + Math.Max(w - 1f, 0f), y + Math.Max(h - 1f, 0f)]);
            labels.Add(_jsonToContiguous[a.CategoryId]);
        }
        return new DetectionTarget(boxes.ToArray(), labels.ToArray(), null, im.Width, im.Height).ClipToImage(removeEmpty: true);
    }
}
