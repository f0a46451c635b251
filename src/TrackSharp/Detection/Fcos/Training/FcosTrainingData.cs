using TrackSharp.Detection.Data;

namespace TrackSharp.Detection.Fcos.Training;

/// <summary>
/// The training dataset named by <c>--data</c>: <c>coco=ANNOTATIONS.json</c> (images under the JSON's folder, or
/// under <c>coco_images=DIR</c>; images without a usable box are dropped as maskrcnn-benchmark's
/// <c>remove_images_without_annotations</c> does) or <c>voc=VOC2007_ROOT</c> (split <c>voc_split</c>, default
/// <c>trainval</c>). The reference reads <c>DATASETS.TRAIN</c> names from its path catalog; here the user names the files.
/// </summary>
public static class FcosTrainingData
{
    /// <summary>Opens the dataset; a missing or unknown <c>--data</c> entry throws naming the option and the path.</summary>
    public static IDetectionDataset Open(IReadOnlyDictionary<string, string> dataRoots)
    {
        ArgumentNullException.ThrowIfNull(dataRoots);
        var roots = new Dictionary<string, string>(dataRoots, StringComparer.OrdinalIgnoreCase);
        if (roots.TryGetValue("coco", out var json))
        {
            if (!File.Exists(json))
                throw new FileNotFoundException($"--data coco={json}: the COCO annotation file does not exist", json);
            string images = roots.TryGetValue("coco_images", out var dir) ? dir : Path.GetDirectoryName(Path.GetFullPath(json))!;
            if (!Directory.Exists(images))
                throw new DirectoryNotFoundException($"--data coco_images={images}: the image folder does not exist");
            return new CocoDetectionDataset(json, images, removeImagesWithoutAnnotations: true);
        }
        if (roots.TryGetValue("voc", out var voc))
        {
            if (!Directory.Exists(voc))
                throw new DirectoryNotFoundException($"--data voc={voc}: the Pascal VOC folder does not exist");
            return new PascalVocDataset(voc, roots.TryGetValue("voc_split", out var split) ? split : "trainval");
        }
        throw new ArgumentException(
            "FCOS training needs its dataset: --data coco=ANNOTATIONS.json [--data coco_images=DIR] or --data voc=VOC_ROOT [--data voc_split=trainval]");
    }
}
