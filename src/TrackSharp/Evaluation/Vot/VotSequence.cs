namespace TrackSharp.Evaluation.Vot;

/// <summary>
/// A VOT sequence as pysot's <c>VOTVideo</c> holds it for evaluation: name, image size (the overlap bounds),
/// ground-truth regions and per-frame tags (0/1). The tag <c>all</c> is implicit (every frame 1).
/// </summary>
public sealed record VotSequence(
    string Name,
    int Width,
    int Height,
    IReadOnlyList<VotRegion> GroundTruth,
    IReadOnlyDictionary<string, int[]>? Tags = null)
{
    /// <summary>Tag used by pysot's EAO by default: every frame counts.</summary>
    public const string AllTag = "all";

    /// <summary>pysot <c>Video.select_tag(tag, start, end)</c>: the tag values of frames [start, end), clipped to the sequence.</summary>
    public ReadOnlySpan<int> SelectTag(string tag, int start, int end)
    {
        int[] values = tag == AllTag
            ? Enumerable.Repeat(1, GroundTruth.Count).ToArray()
            : Tags is not null && Tags.TryGetValue(tag, out var v)
                ? v
                : throw new KeyNotFoundException($"Sequence {Name} has no tag '{tag}'.");
        start = Math.Clamp(start, 0, values.Length);
        end = Math.Clamp(end, start, values.Length);
        return values.AsSpan(start, end - start);
    }

    /// <summary>
    /// Reads the VOT dataset layout <c>&lt;datasetDir&gt;/&lt;name&gt;/groundtruth.txt</c> (one region a line) and every
    /// <c>&lt;tag&gt;.tag</c> file next to it (one 0/1 a line). The image size is not in these files.
    /// </summary>
    public static VotSequence Load(string datasetDir, string name, int width, int height)
    {
        string dir = Path.Combine(datasetDir, name);
        var gt = VotTrajectoryFile.Read(Path.Combine(dir, "groundtruth.txt"));
        var tags = new Dictionary<string, int[]>();
        foreach (var file in Directory.EnumerateFiles(dir, "*.tag").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file).Where(l => l.Trim().Length > 0).ToArray();
            var values = new int[lines.Length];
            for (int i = 0; i < lines.Length; i++)
            {
                if (!int.TryParse(lines[i].Trim(), out values[i]))
                    throw new FormatException($"{file}:{i + 1}: '{lines[i]}' is not an integer tag value.");
            }
            tags[Path.GetFileNameWithoutExtension(file)] = values;
        }
        return new VotSequence(name, width, height, gt, tags);
    }
}
