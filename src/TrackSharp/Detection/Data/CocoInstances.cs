using System.Text.Json;

namespace TrackSharp.Detection.Data;

/// <summary>One entry of a COCO file's <c>images</c>.</summary>
public sealed record CocoImage(long Id, int Width, int Height, string FileName);

/// <summary>One entry of <c>categories</c>.</summary>
public sealed record CocoCategory(long Id, string Name, string Supercategory);

/// <summary>
/// One entry of <c>annotations</c>, with what detection needs: the box, the annotation's own <c>area</c> (for real
/// COCO data the segmentation area, which is what the evaluation's area ranges use; null when absent), and the crowd
/// flag (absent means 0). Segmentation, keypoints and extra keys such as <c>ignore</c> are accepted and not kept.
/// </summary>
public sealed record CocoAnnotation(long Id, long ImageId, long CategoryId, CocoBox Box, double? Area, bool IsCrowd);

/// <summary>
/// A COCO <c>instances</c> JSON file (ground truth): images, annotations and categories in file order. Shared by the
/// evaluation (pycocotools' <c>COCO</c>) and the training dataset (maskrcnn-benchmark's <c>COCODataset</c>).
/// </summary>
public sealed class CocoInstances
{
    public required string Source { get; init; }
    public required IReadOnlyList<CocoImage> Images { get; init; }
    public required IReadOnlyList<CocoAnnotation> Annotations { get; init; }
    public required IReadOnlyList<CocoCategory> Categories { get; init; }

    /// <summary>Reads an instances file. Every problem names the file and the JSON path (e.g. <c>annotations[7].bbox</c>).</summary>
    public static CocoInstances Load(string path)
    {
        using var doc = CocoJson.Parse(path);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new DetectionDataException(path, $"expected a COCO instances object with 'images', 'annotations' and 'categories', found {root.ValueKind}");

        var images = new List<CocoImage>();
        var imagesJson = CocoJson.Array(path, CocoJson.Property(path, root, "top level", "images"), "images");
        int i = 0;
        foreach (var e in imagesJson.EnumerateArray())
        {
            string where = $"images[{i++}]";
            long id = CocoJson.Id(path, CocoJson.Property(path, e, where, "id"), where + ".id");
            int width = e.TryGetProperty("width", out var w) ? checked((int)CocoJson.Number(path, w, where + ".width")) : 0;
            int height = e.TryGetProperty("height", out var h) ? checked((int)CocoJson.Number(path, h, where + ".height")) : 0;
            string file = e.TryGetProperty("file_name", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "";
            images.Add(new CocoImage(id, width, height, file));
        }

        var categories = new List<CocoCategory>();
        var categoriesJson = CocoJson.Array(path, CocoJson.Property(path, root, "top level", "categories"), "categories");
        i = 0;
        foreach (var e in categoriesJson.EnumerateArray())
        {
            string where = $"categories[{i++}]";
            long id = CocoJson.Id(path, CocoJson.Property(path, e, where, "id"), where + ".id");
            string name = e.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string super = e.TryGetProperty("supercategory", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
            categories.Add(new CocoCategory(id, name, super));
        }

        var annotations = new List<CocoAnnotation>();
        // A file without annotations (image info only, e.g. test-dev) is allowed.
        if (root.TryGetProperty("annotations", out var annotationsJson))
        {
            CocoJson.Array(path, annotationsJson, "annotations");
            i = 0;
            foreach (var e in annotationsJson.EnumerateArray())
            {
                string where = $"annotations[{i++}]";
                long id = CocoJson.Id(path, CocoJson.Property(path, e, where, "id"), where + ".id");
                long imageId = CocoJson.Id(path, CocoJson.Property(path, e, where, "image_id"), where + ".image_id");
                long categoryId = CocoJson.Id(path, CocoJson.Property(path, e, where, "category_id"), where + ".category_id");
                var box = CocoJson.Box(path, CocoJson.Property(path, e, where, "bbox"), where + ".bbox");
                double? area = e.TryGetProperty("area", out var a) ? CocoJson.Number(path, a, where + ".area") : null;
                bool crowd = e.TryGetProperty("iscrowd", out var c) && CocoJson.Flag(path, c, where + ".iscrowd");
                annotations.Add(new CocoAnnotation(id, imageId, categoryId, box, area, crowd));
            }
        }
        return new CocoInstances { Source = path, Images = images, Annotations = annotations, Categories = categories };
    }
}
