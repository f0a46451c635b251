namespace TrackSharp.Data.Datasets;

/// <summary>A set of annotated sequences on disk, read lazily (see <see cref="TrackingSequence"/>).</summary>
public interface ISequenceDataset
{
    /// <summary>Dataset name (the root folder's name).</summary>
    string Name { get; }

    /// <summary>The layout it was read as.</summary>
    DatasetFormat Format { get; }

    /// <summary>The root folder.</summary>
    string Root { get; }

    /// <summary>The sequences, in the order of the layout's list file or, without one, in natural name order.</summary>
    IReadOnlyList<TrackingSequence> Sequences { get; }

    /// <summary>The sequence called <paramref name="name"/> (ordinal; case-insensitive when unambiguous).</summary>
    /// <exception cref="KeyNotFoundException">No such sequence; the message lists a few names.</exception>
    TrackingSequence this[string name] { get; }
}

/// <summary>The dataset the readers return. <see cref="Findings"/> holds what discovery noticed (a listed sequence
/// without a folder, an annotation file without frames) for the checker.</summary>
public sealed class SequenceDataset : ISequenceDataset
{
    internal SequenceDataset(string root, DatasetFormat format, IReadOnlyList<TrackingSequence> sequences,
        IReadOnlyList<DatasetProblem>? findings = null)
    {
        Root = Path.GetFullPath(root);
        Name = Path.GetFileName(Root.TrimEnd(Path.DirectorySeparatorChar));
        Format = format;
        Sequences = sequences;
        Findings = findings ?? [];
    }

    public string Name { get; }

    public DatasetFormat Format { get; }

    public string Root { get; }

    public IReadOnlyList<TrackingSequence> Sequences { get; }

    /// <summary>Findings about the layout itself, found while listing the sequences.</summary>
    public IReadOnlyList<DatasetProblem> Findings { get; }

    public TrackingSequence this[string name]
    {
        get
        {
            var exact = Sequences.FirstOrDefault(s => s.Name == name);
            if (exact is not null) return exact;
            var loose = Sequences.Where(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (loose.Count == 1) return loose[0];
            string known = string.Join(", ", Sequences.Take(10).Select(s => s.Name)) + (Sequences.Count > 10 ? ", ..." : "");
            throw new KeyNotFoundException($"no sequence '{name}' in {DatasetFormats.Name(Format)} dataset '{Root}' " +
                                           $"({Sequences.Count} sequences: {known})");
        }
    }
}
