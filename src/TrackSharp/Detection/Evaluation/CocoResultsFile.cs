using System.Text.Json;
using TrackSharp.Detection.Data;

namespace TrackSharp.Detection.Evaluation;

/// <summary>
/// Reads a COCO detection results file (a JSON list of <c>{image_id, category_id, bbox, score}</c>) with the rules
/// of pycocotools' <c>COCO.loadRes</c> for boxes: ids are 1-based file positions, areas come from the box, extra keys
/// (<c>area</c>, <c>id</c>, <c>iscrowd</c>, <c>segmentation</c>) are ignored, and every <c>image_id</c> must be an
/// image of the ground truth. An empty list is allowed and means "no detections" (pycocotools' <c>loadRes</c> raises
/// there; maskrcnn-benchmark evaluates against an empty result set instead, and so do we).
/// </summary>
public static class CocoResultsFile
{
    public static IReadOnlyList<CocoDetectionResult> Load(string path, CocoInstances groundTruth)
    {
        using var doc = CocoJson.Parse(path);
        return Parse(path, doc.RootElement, groundTruth);
    }

    /// <summary>
    /// Writes results as a COCO results file (<c>[{image_id, category_id, bbox, score}, ...]</c>, shortest round-trip
    /// doubles, so float32 values keep their exact value as Python's <c>tolist()</c> writes them), atomically.
    /// </summary>
    public static void Write(string path, IEnumerable<CocoDetectionResult> results)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteNumber("image_id", r.ImageId);
                w.WriteNumber("category_id", r.CategoryId);
                w.WriteStartArray("bbox");
                w.WriteNumberValue(r.Box.X); w.WriteNumberValue(r.Box.Y); w.WriteNumberValue(r.Box.W); w.WriteNumberValue(r.Box.H);
                w.WriteEndArray();
                w.WriteNumber("score", r.Score);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        TrackSharp.Imaging.AtomicFile.WriteAllBytes(full, buffer.ToArray());
    }

    /// <summary>The results in <paramref name="root"/> (a JSON array); <paramref name="path"/> names it in errors.</summary>
    public static IReadOnlyList<CocoDetectionResult> Parse(string path, JsonElement root, CocoInstances groundTruth)
    {
        if (root.ValueKind != JsonValueKind.Array)
            throw new DetectionDataException(path, $"expected a JSON list of detections {{image_id, category_id, bbox, score}}, found {root.ValueKind}");
        var images = new HashSet<long>(groundTruth.Images.Select(im => im.Id));
        var results = new List<CocoDetectionResult>(root.GetArrayLength());
        int i = 0;
        foreach (var e in root.EnumerateArray())
        {
            string where = $"[{i}]";
            long imageId = CocoJson.Id(path, CocoJson.Property(path, e, where, "image_id"), where + ".image_id");
            if (!images.Contains(imageId))
                throw new DetectionDataException(path,
                    $"{where}.image_id: image {imageId} is not an image of the ground truth '{groundTruth.Source}' (results do not correspond to this COCO set)");
            long categoryId = CocoJson.Id(path, CocoJson.Property(path, e, where, "category_id"), where + ".category_id");
            var box = CocoJson.Box(path, CocoJson.Property(path, e, where, "bbox"), where + ".bbox");
            double score = CocoJson.Number(path, CocoJson.Property(path, e, where, "score"), where + ".score");
            results.Add(new CocoDetectionResult(i + 1, imageId, categoryId, box, score));
            i++;
        }
        return results;
    }
}
