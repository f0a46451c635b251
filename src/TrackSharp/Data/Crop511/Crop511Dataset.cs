using System.Text.Json;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Sampling;
using TrackSharp.Geometry;

namespace TrackSharp.Data.Crop511;

/// <summary>
/// A pysot crop511 dataset (<c>SubDataset</c>): the crop root and its annotation JSON. As pysot does on loading, boxes
/// with a non-positive width or height are dropped (<c>_filter_zero</c>), non-numeric frame keys are ignored, and
/// tracks and videos left without frames are dropped. Each (video, track) is one sequence of the sampler, its frames
/// the annotated ones in ascending order, all visible: FRAME_RANGE therefore counts annotated frames, as in pysot.
/// (pysot first picks a video, then one of its tracks; here every track is a sequence of its own, which weighs videos
/// by their track count.) Nothing is decoded until asked.
/// </summary>
public sealed class Crop511Dataset : ISampleSource
{
    private readonly Crop511Track[] _tracks;
    private readonly FrameVisibility[] _visibility;

    private Crop511Dataset(string name, string root, string annotationPath, Crop511Track[] tracks)
    {
        Name = name;
        Root = root;
        AnnotationPath = annotationPath;
        _tracks = tracks;
        _visibility = tracks.Select(t => new FrameVisibility(Enumerable.Repeat(true, t.Frames.Length).ToArray())).ToArray();
    }

    public string Name { get; }

    /// <summary>The crop root (ROOT).</summary>
    public string Root { get; }

    /// <summary>The annotation JSON (ANNO).</summary>
    public string AnnotationPath { get; }

    /// <summary>The tracks, in the JSON's order (videos, then tracks).</summary>
    public IReadOnlyList<Crop511Track> Tracks => _tracks;

    public int SequenceCount => _tracks.Length;

    public string SequenceName(int sequence) => _tracks[sequence].Name;

    public FrameVisibility Visibility(int sequence) => _visibility[sequence];

    /// <summary>The crop file of the frame at <paramref name="position"/> of track <paramref name="sequence"/>.</summary>
    public string ImagePath(int sequence, int position)
    {
        var t = _tracks[sequence];
        return Path.Combine(Root, t.Video, t.FileName(position));
    }

    /// <summary>The annotation box (original frame pixels) of the frame at <paramref name="position"/>.</summary>
    public BoxXyxy Box(int sequence, int position) => _tracks[sequence].Boxes[position];

    /// <summary>Opens a converted folder: <c>&lt;folder&gt;/crop511</c> and <c>&lt;folder&gt;/train.json</c>.</summary>
    public static Crop511Dataset OpenFolder(string folder, string? name = null) =>
        Open(Path.Combine(folder, Crop511Layout.CropFolder), Path.Combine(folder, Crop511Layout.AnnotationFile),
            name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))));

    /// <summary>Reads <paramref name="annotationPath"/> for the crops under <paramref name="root"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="FileNotFoundException">The annotation file does not exist.</exception>
    /// <exception cref="DatasetFormatException">The JSON is malformed or a box is not 2 or 4 numbers (names file and key).</exception>
    public static Crop511Dataset Open(string root, string annotationPath, string name = "crop511")
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"crop511 root '{root}' does not exist");
        if (!File.Exists(annotationPath))
            throw new FileNotFoundException($"crop511 annotation file '{annotationPath}' does not exist", annotationPath);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(annotationPath));
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(annotationPath, (int?)(e.LineNumber + 1), $"not valid JSON: {e.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new DatasetFormatException(annotationPath, null, "expected an object {video: {track: {frame: [x1, y1, x2, y2]}}}");
            var tracks = new List<Crop511Track>();
            foreach (var video in doc.RootElement.EnumerateObject())
            {
                if (video.Value.ValueKind != JsonValueKind.Object)
                    throw new DatasetFormatException(annotationPath, null, $"video '{video.Name}': expected an object of tracks");
                foreach (var track in video.Value.EnumerateObject())
                {
                    if (track.Value.ValueKind != JsonValueKind.Object)
                        throw new DatasetFormatException(annotationPath, null, $"'{video.Name}/{track.Name}': expected an object of frames");
                    var frames = new List<(int Frame, BoxXyxy Box)>();
                    foreach (var frame in track.Value.EnumerateObject())
                    {
                        if (frame.Name.Length == 0 || !frame.Name.All(char.IsAsciiDigit)) continue; // pysot keeps isdigit() keys
                        var box = ReadBox(frame.Value, annotationPath, $"{video.Name}/{track.Name}/{frame.Name}");
                        if (box is { } b && b.X2 - b.X1 > 0 && b.Y2 - b.Y1 > 0)
                            frames.Add((int.Parse(frame.Name, System.Globalization.CultureInfo.InvariantCulture), b));
                    }
                    if (frames.Count == 0) continue;
                    frames.Sort((a, b) => a.Frame.CompareTo(b.Frame));
                    tracks.Add(new Crop511Track(video.Name, track.Name, frames.Select(f => f.Frame).ToArray(),
                        frames.Select(f => f.Box).ToArray()));
                }
            }
            return new Crop511Dataset(name, root, annotationPath, tracks.ToArray());
        }
    }

    /// <summary>A 4-number box; a 2-number entry (w, h only, as some pysot JSONs hold) has no position and is skipped.</summary>
    private static BoxXyxy? ReadBox(JsonElement value, string file, string key)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw new DatasetFormatException(file, null, $"'{key}': expected [x1, y1, x2, y2], got {value.ValueKind}");
        var numbers = new List<double>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number)
                throw new DatasetFormatException(file, null, $"'{key}': expected numbers, got {item.ValueKind}");
            numbers.Add(item.GetDouble());
        }
        return numbers.Count switch
        {
            4 => new BoxXyxy(numbers[0], numbers[1], numbers[2], numbers[3]),
            2 => null,
            _ => throw new DatasetFormatException(file, null, $"'{key}': expected 4 numbers [x1, y1, x2, y2], got {numbers.Count}"),
        };
    }
}
