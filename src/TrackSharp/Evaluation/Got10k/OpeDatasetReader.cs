namespace TrackSharp.Evaluation.Got10k;

/// <summary>Readers for the ground truth of the OTB-style and LaSOT folder layouts, as the GOT-10k toolkit loads them.</summary>
public static class OpeDatasetReader
{
    /// <summary>
    /// OTB layout <c>&lt;root&gt;/&lt;seq&gt;/groundtruth_rect.txt</c>. The toolkit's OTB dataset reads it with commas
    /// turned into whitespace, so comma, tab and space separated files are all accepted.
    /// </summary>
    public static OpeSequence ReadOtb(string root, string name) =>
        new(name, NumericTextFile.ReadBoxes(Path.Combine(root, name, "groundtruth_rect.txt"),
            FieldSeparator.WhitespaceOrComma));

    /// <summary>
    /// LaSOT layout <c>&lt;root&gt;/&lt;class&gt;/&lt;seq&gt;/groundtruth.txt</c> (comma separated), where the class is
    /// the sequence name up to its last '-' (<c>airplane-1</c> lives in <c>airplane/</c>). The occlusion and
    /// out-of-view files are not read: <c>ExperimentLaSOT</c> ignores them.
    /// </summary>
    public static OpeSequence ReadLasot(string root, string name)
    {
        int dash = name.LastIndexOf('-');
        if (dash <= 0)
            throw new Got10kEvaluationException($"LaSOT sequence name '{name}' is not '<class>-<index>'");
        string path = Path.Combine(root, name[..dash], name, "groundtruth.txt");
        return new OpeSequence(name, NumericTextFile.ReadBoxes(path, FieldSeparator.Comma));
    }
}
