using System.Globalization;
using TrackSharp.Geometry;

namespace TrackSharp.Tests.NanoTrack;

/// <summary>
/// The nine annotated sequences of ../shared/data as golden/nanotrack/reference_runs ran them: frames in
/// sorted name order, ground truth x,y,w,h (VOT polygons as their min/max box), min(frames, rows) frames.
/// </summary>
internal sealed record ReferenceSequence(string Name, string FramesFolder, string GroundTruthFile)
{
    public static IReadOnlyList<ReferenceSequence> All { get; } = Build();

    private static IReadOnlyList<ReferenceSequence> Build()
    {
        string data = Path.Combine(TestPaths.Shared, "data");
        var list = new List<ReferenceSequence>();
        foreach (var (seq, gt) in new[]
                 {
                     ("Crossing", "groundtruth_rect.txt"), ("David", "groundtruth_rect.txt"),
                     ("Diving", "groundtruth_rect.txt"), ("DragonBaby", "groundtruth_rect.txt"),
                     ("Jogging", "groundtruth_rect.1.txt"), ("MotorRolling", "groundtruth_rect.txt"),
                 })
            list.Add(new($"otb/{seq}", Path.Combine(data, "otb", seq, "img"), Path.Combine(data, "otb", seq, gt)));
        list.Add(new("vot/bag", Path.Combine(data, "vot", "bag"), Path.Combine(data, "vot", "bag", "groundtruth.txt")));
        list.Add(new("uav123/wakeboard7", Path.Combine(data, "uav123", "data_seq", "UAV123_10fps", "wakeboard7"),
            Path.Combine(data, "uav123", "anno", "UAV123_10fps", "wakeboard7.txt")));
        list.Add(new("dtb70/Surfing06", Path.Combine(data, "dtb70", "Surfing06", "img"),
            Path.Combine(data, "dtb70", "Surfing06", "groundtruth_rect.txt")));
        return list;
    }

    public IReadOnlyList<string> Frames => Directory.GetFiles(FramesFolder, "*.jpg").Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<BoxXywh> GroundTruth => ReadBoxes(GroundTruthFile);

    /// <summary>Reads x,y,w,h rows (comma, tab or space; CRLF tolerated) or 8-number polygons as min/max boxes.</summary>
    public static IReadOnlyList<BoxXywh> ReadBoxes(string path) => File.ReadAllLines(path)
        .Where(l => l.Trim().Length > 0)
        .Select(l => l.Split(new[] { ',', '\t', ' ', '\r' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
        .Select(v => v.Length == 4
            ? new BoxXywh(v[0], v[1], v[2], v[3])
            : new BoxXywh(Min(v, 0), Min(v, 1), Max(v, 0) - Min(v, 0), Max(v, 1) - Min(v, 1)))
        .ToList();

    private static double Min(double[] v, int offset) => v.Where((_, i) => i % 2 == offset).Min();
    private static double Max(double[] v, int offset) => v.Where((_, i) => i % 2 == offset).Max();

    /// <summary>pysot's success score: mean over t = 0, 0.05, ..., 1 of the fraction of frames with IoU &gt; t.</summary>
    public static double SuccessAuc(IReadOnlyList<BoxXywh> results, IReadOnlyList<BoxXywh> groundTruth)
    {
        int n = groundTruth.Count;
        var iou = Enumerable.Range(0, n).Select(i => results[i].IoU(groundTruth[i])).ToArray();
        double sum = 0;
        for (int k = 0; k <= 20; k++)
        {
            double t = k * 0.05;
            sum += iou.Count(v => v > t) / (double)n;
        }
        return sum / 21;
    }
}
