namespace TrackSharp.Detection.Fcos;

/// <summary>The 80 COCO category names in contiguous-id order (label 1 = person ... 80 = toothbrush), as
/// maskrcnn-benchmark's COCO demo lists them.</summary>
public static class CocoCategories
{
    public static IReadOnlyList<string> Names { get; } = new[]
    {
        "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
        "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
        "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
        "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
        "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
        "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
        "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone",
        "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear",
        "hair drier", "toothbrush",
    };

    /// <summary>The name of a contiguous label for a model of <paramref name="numClasses"/> classes: the COCO name
    /// when it has 80, else "class N".</summary>
    public static string NameOf(long label, int numClasses) =>
        numClasses == Names.Count && label >= 1 && label <= Names.Count ? Names[(int)label - 1] : $"class {label}";
}
