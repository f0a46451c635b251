namespace TrackSharp.Detection.Data;

/// <summary>
/// A detection annotation file (COCO instances or results JSON, Pascal VOC XML or image-set list) that cannot be
/// used as it is. The message names the file and the line, JSON path or XML element at fault, so the CLI can print
/// it as one line (exit code 2).
/// </summary>
public sealed class DetectionDataException(string file, string message, Exception? inner = null)
    : Exception($"{file}: {message}", inner)
{
    /// <summary>The file at fault.</summary>
    public string File { get; } = file;
}
