using System.Text.Json;
using TrackSharp.Geometry;

namespace TrackSharp.Evaluation.Pysot;

/// <summary>
/// Reads a pysot dataset json (<c>{video: {video_dir, init_rect, img_names, gt_rect, attr[, absent]}}</c>, as
/// <c>toolkit/datasets/otb.py</c> / <c>lasot.py</c> load it). NaN GT rows are bare <c>NaN</c> literals there.
/// </summary>
public static class PysotDatasetJson
{
    /// <summary>All videos in file order.</summary>
    /// <exception cref="FormatException">Naming the file and the video when an entry is malformed.</exception>
    public static IReadOnlyList<PysotVideo> Load(string path)
    {
        using var doc = PythonJson.Parse(File.ReadAllText(path));
        var videos = new List<PysotVideo>();
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            try
            {
                var gt = entry.Value.GetProperty("gt_rect").EnumerateArray().Select(ReadBox).ToArray();
                int[]? absent = entry.Value.TryGetProperty("absent", out var a)
                    ? a.EnumerateArray().Select(v => (int)PythonJson.Number(v)).ToArray()
                    : null;
                videos.Add(new PysotVideo(entry.Name, gt, absent));
            }
            catch (Exception e) when (e is KeyNotFoundException or FormatException or InvalidOperationException)
            {
                throw new FormatException($"{path}: video '{entry.Name}': {e.Message}", e);
            }
        }
        return videos;
    }

    private static BoxXywh ReadBox(JsonElement row)
    {
        var v = row.EnumerateArray().Select(PythonJson.Number).ToArray();
        if (v.Length != 4) throw new FormatException($"gt_rect row has {v.Length} values, expected 4");
        return new BoxXywh(v[0], v[1], v[2], v[3]);
    }
}
