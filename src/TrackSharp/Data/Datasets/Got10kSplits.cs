using System.Globalization;

namespace TrackSharp.Data.Datasets;

/// <summary>
/// The GOT-10k training splits that pytracking and OSTrack train on (<c>GOT10K_vottrain</c>, <c>GOT10K_votval</c>,
/// <c>GOT10K_train_full</c> ...). A split file (<c>lib/train/data_specs/got10k_vot_train_split.txt</c> in OSTrack,
/// <c>ltr/data_specs/</c> in pytracking) holds one 0-based index per line into the train set's <c>list.txt</c> order.
/// The lists are not shipped here (thousands of ids): give the file's path, or a split name and the folder holding
/// the reference's <c>data_specs</c> files.
/// </summary>
public static class Got10kSplits
{
    /// <summary>Split names and the file each one reads, as in the references.</summary>
    public static IReadOnlyDictionary<string, string> Files { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["train"] = "got10k_train_split.txt",
        ["val"] = "got10k_val_split.txt",
        ["train_full"] = "got10k_train_full_split.txt",
        ["vottrain"] = "got10k_vot_train_split.txt",
        ["votval"] = "got10k_vot_val_split.txt",
    };

    /// <summary>The path of split <paramref name="name"/> in <paramref name="specsFolder"/>.</summary>
    /// <exception cref="ArgumentException">Unknown split name; the message lists the known ones.</exception>
    public static string PathOf(string name, string specsFolder) =>
        Files.TryGetValue(name.Trim().ToLowerInvariant(), out string? file)
            ? Path.Combine(specsFolder, file)
            : throw new ArgumentException($"unknown GOT-10k split '{name}'; known splits: {string.Join(", ", Files.Keys)}");

    /// <summary>Reads a split file: one non-negative integer per non-empty line.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="DatasetFormatException">A line that is not a non-negative integer (names file and line).</exception>
    public static IReadOnlyList<int> ReadIndices(string path) => ReadEntries(path).Select(e => e.Index).ToList();

    private static List<(int Line, int Index)> ReadEntries(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"GOT-10k split file '{path}' not found", path);
        var result = new List<(int, int)>();
        foreach (var (line, text) in AnnotationText.NonEmptyLines(path))
        {
            if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                throw new DatasetFormatException(path, line, $"expected a sequence index (non-negative integer), got '{text}'");
            result.Add((line, index));
        }
        return result;
    }

    /// <summary>
    /// The sequences of <paramref name="got10k"/> that split file <paramref name="splitFile"/> selects, in the file's
    /// order. Indices refer to the names in the dataset's <c>list.txt</c> (every line, as the references read it),
    /// or, without a list file, to the sequences in name order.
    /// </summary>
    /// <exception cref="DatasetFormatException">An index past the end of the list, or a listed sequence without a
    /// folder (names the split file and line).</exception>
    public static SequenceDataset Select(SequenceDataset got10k, string splitFile)
    {
        if (got10k.Format != DatasetFormat.Got10k)
            throw new ArgumentException($"'{got10k.Root}' is a {DatasetFormats.Name(got10k.Format)} dataset, not GOT-10k", nameof(got10k));
        string list = Path.Combine(got10k.Root, "list.txt");
        var names = File.Exists(list)
            ? AnnotationText.NonEmptyLines(list).Select(l => l.Text).ToList()
            : got10k.Sequences.Select(s => s.Name).ToList();
        var byName = new Dictionary<string, TrackingSequence>(StringComparer.Ordinal);
        foreach (var s in got10k.Sequences) byName.TryAdd(s.Name, s);

        var entries = ReadEntries(splitFile);
        var selected = new List<TrackingSequence>(entries.Count);
        foreach (var (line, index) in entries)
        {
            if (index >= names.Count)
                throw new DatasetFormatException(splitFile, line,
                    $"index {index} is past the end of the {names.Count} sequences of '{(File.Exists(list) ? list : got10k.Root)}'");
            if (!byName.TryGetValue(names[index], out var sequence))
                throw new DatasetFormatException(splitFile, line, $"index {index} is '{names[index]}', which has no sequence folder");
            selected.Add(sequence);
        }
        return new SequenceDataset(got10k.Root, DatasetFormat.Got10k, selected, got10k.Findings);
    }

    /// <summary><see cref="Select(SequenceDataset, string)"/> by split name ("vottrain", "votval", "train_full",
    /// "train", "val") with the split files in <paramref name="specsFolder"/>.</summary>
    public static SequenceDataset Select(SequenceDataset got10k, string name, string specsFolder) =>
        Select(got10k, PathOf(name, specsFolder));
}
