using OpenCvSharp;

namespace TrackSharp.Detection.Data;

/// <summary>Size and identity of one dataset image, known without decoding it (used for aspect-ratio grouping).</summary>
public readonly record struct DetectionImageInfo(string Id, int Width, int Height, string Path);

/// <summary>
/// A detection dataset as maskrcnn-benchmark's datasets present themselves to the data loader: a fixed, ordered
/// list of images, each with its size (<c>get_img_info</c>), its ground truth as a <see cref="DetectionTarget"/>
/// already clipped to the image with empty boxes removed, and its pixels decoded lazily on request.
/// </summary>
public interface IDetectionDataset
{
    int Count { get; }

    /// <summary>Class names by contiguous label; index 0 is the background.</summary>
    IReadOnlyList<string> ClassNames { get; }

    DetectionImageInfo GetImageInfo(int index);

    /// <summary>The image as BGR uint8 (CV_8UC3), decoded now; the caller disposes it.</summary>
    Mat LoadImage(int index);

    DetectionTarget GetTarget(int index);
}
