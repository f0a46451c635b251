using System.Globalization;
using System.Text.RegularExpressions;

namespace TrackSharp.Evaluation.Got10k;

/// <summary>
/// Reader for the GOT-10k train/val folder layout: <c>list.txt</c> (sequence names, in order) and per sequence
/// <c>groundtruth.txt</c> (comma separated), <c>cover.label</c>, <c>absence.label</c>, <c>meta_info.ini</c>.
/// </summary>
public static partial class Got10kValDataset
{
    /// <summary>All sequences named in <c>&lt;root&gt;/list.txt</c>, in that order.</summary>
    public static IReadOnlyList<Got10kValSequence> Load(string root)
    {
        string listFile = Path.Combine(root, "list.txt");
        if (!File.Exists(listFile))
            throw new Got10kEvaluationException($"{listFile}: file not found (the GOT-10k sequence list)");
        var names = File.ReadLines(listFile).Select(l => l.Trim()).Where(l => l.Length > 0);
        return names.Select(n => LoadSequence(root, n)).ToArray();
    }

    /// <summary>One sequence folder <c>&lt;root&gt;/&lt;name&gt;</c>.</summary>
    public static Got10kValSequence LoadSequence(string root, string name)
    {
        string dir = Path.Combine(root, name);
        var gt = NumericTextFile.ReadBoxes(Path.Combine(dir, "groundtruth.txt"), FieldSeparator.Comma);
        int[] cover = ReadLabel(Path.Combine(dir, "cover.label"), gt.Length);
        int[] absence = ReadLabel(Path.Combine(dir, "absence.label"), gt.Length);
        var (width, height) = ReadResolution(Path.Combine(dir, "meta_info.ini"));
        return new Got10kValSequence(name, gt, cover, absence, width, height);
    }

    /// <summary>
    /// The <c>resolution: (W, H)</c> entry of <c>meta_info.ini</c>, which the toolkit passes to
    /// <c>ast.literal_eval</c> and uses as the clipping bound of <c>rect_iou</c>.
    /// </summary>
    public static (int Width, int Height) ReadResolution(string metaInfoPath)
    {
        if (!File.Exists(metaInfoPath))
            throw new Got10kEvaluationException($"{metaInfoPath}: file not found");
        int lineNumber = 0;
        foreach (string line in File.ReadLines(metaInfoPath))
        {
            lineNumber++;
            if (!line.TrimStart().StartsWith("resolution", StringComparison.Ordinal)) continue;
            var m = ResolutionPattern().Match(line);
            if (!m.Success)
                throw new Got10kEvaluationException(
                    $"{metaInfoPath}:{lineNumber}: expected 'resolution: (W, H)', got '{line.Trim()}'");
            return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
                    int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        }
        throw new Got10kEvaluationException($"{metaInfoPath}: no 'resolution: (W, H)' line");
    }

    private static int[] ReadLabel(string path, int frames)
    {
        double[] values = NumericTextFile.ReadColumn(path);
        if (values.Length != frames)
            throw new Got10kEvaluationException(
                $"{path}: {values.Length} labels for {frames} ground-truth frames");
        var labels = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != Math.Floor(values[i]))
                throw new Got10kEvaluationException($"{path}:{i + 1}: label {values[i]} is not an integer");
            labels[i] = (int)values[i];
        }
        return labels;
    }

    [GeneratedRegex(@"^\s*resolution\s*:\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*$")]
    private static partial Regex ResolutionPattern();
}
