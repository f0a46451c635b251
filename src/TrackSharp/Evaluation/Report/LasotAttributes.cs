using System.Globalization;

namespace TrackSharp.Evaluation.Report;

/// <summary>
/// LaSOT's 14 attributes, read from the evaluation toolkit's attribute files: <c>att/&lt;seq&gt;.txt</c> (or
/// <c>annos/att/&lt;seq&gt;.txt</c>) under the dataset root, one line of 14 comma-separated 0/1 flags in the
/// toolkit's order. The dataset download itself has no attribute file, so without them there are no LaSOT
/// attribute plots.
/// </summary>
public static class LasotAttributes
{
    /// <summary>Code and full name of every attribute, in the order of the flags.</summary>
    public static IReadOnlyList<(string Code, string Name)> All { get; } =
    [
        ("IV", "Illumination Variation"), ("POC", "Partial Occlusion"), ("DEF", "Deformation"), ("MB", "Motion Blur"),
        ("CM", "Camera Motion"), ("ROT", "Rotation"), ("BC", "Background Clutter"), ("VC", "Viewpoint Change"),
        ("SV", "Scale Variation"), ("FOC", "Full Occlusion"), ("FM", "Fast Motion"), ("OV", "Out-of-View"),
        ("LR", "Low Resolution"), ("ARC", "Aspect Ratio Change"),
    ];

    /// <summary>The attribute codes of <paramref name="sequence"/>; null when no attribute file exists for it.</summary>
    /// <exception cref="FormatException">A file without 14 flags of 0 or 1 (names the file).</exception>
    public static IReadOnlyList<string>? Of(string datasetRoot, string sequence)
    {
        string? file = new[] { Path.Combine(datasetRoot, "att", sequence + ".txt"), Path.Combine(datasetRoot, "annos", "att", sequence + ".txt") }
            .FirstOrDefault(File.Exists);
        if (file is null) return null;
        var fields = File.ReadAllText(file).Split([',', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != All.Count)
            throw new FormatException($"{file}: expected {All.Count} attribute flags (0 or 1), got {fields.Length}");
        var codes = new List<string>();
        for (int i = 0; i < fields.Length; i++)
        {
            if (!double.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || (v != 0 && v != 1))
                throw new FormatException($"{file}: flag {i + 1} ('{fields[i]}') is not 0 or 1");
            if (v == 1) codes.Add(All[i].Code);
        }
        return codes;
    }
}
