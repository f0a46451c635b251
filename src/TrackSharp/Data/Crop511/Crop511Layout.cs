using System.Globalization;

namespace TrackSharp.Data.Crop511;

/// <summary>
/// pysot's crop511 layout: <c>&lt;root&gt;/&lt;video&gt;/{frame:06d}.{track:02d}.x.jpg</c> (511x511 search crops) plus an
/// annotation JSON <c>{video: {track: {frame: [x1, y1, x2, y2]}}}</c> with keys <c>"00"</c> and <c>"000123"</c> and boxes
/// in the original frame's pixels. <see cref="Crop511Writer"/> writes it as <c>&lt;out&gt;/crop511/</c> and
/// <c>&lt;out&gt;/train.json</c> (the names pysot's configs use for ROOT and ANNO).
/// </summary>
public static class Crop511Layout
{
    /// <summary>The crop folder under a converted dataset's output folder.</summary>
    public const string CropFolder = "crop511";

    /// <summary>The annotation file under a converted dataset's output folder.</summary>
    public const string AnnotationFile = "train.json";

    /// <summary><c>{frame:06d}.{track}.x.jpg</c>.</summary>
    public static string FileName(int frame, string track) =>
        string.Create(CultureInfo.InvariantCulture, $"{frame:D6}.{track}.x.jpg");

    /// <summary>Track key of a 0-based track number (<c>{:02d}</c>).</summary>
    public static string TrackKey(int track) => track.ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>Frame key of a frame number (<c>{:06d}</c>).</summary>
    public static string FrameKey(int frame) => frame.ToString("D6", CultureInfo.InvariantCulture);
}
