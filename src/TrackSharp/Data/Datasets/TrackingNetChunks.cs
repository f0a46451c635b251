using TrackSharp.Imaging;

namespace TrackSharp.Data.Datasets;

/// <summary>
/// TrackingNet's training chunks <c>TRAIN_0</c> .. <c>TRAIN_11</c> by number: pytracking's
/// <c>TrackingNet(root, set_ids=[...])</c>, e.g. TrDiMP/DiMP training on <c>set_ids=list(range(4))</c>.
/// </summary>
public static class TrackingNetChunks
{
    /// <summary>Training chunks are numbered 0 to 11.</summary>
    public const int Count = 12;

    /// <summary>The sequences of <paramref name="trackingNet"/> in chunks <c>TRAIN_{id}</c> for the ids given, in the
    /// dataset's order (possibly none: see <see cref="ChunksIn"/> for what the folder has); <c>TEST</c> is never selected.</summary>
    /// <exception cref="ArgumentException">Not a TrackingNet dataset, or an id outside 0..11.</exception>
    public static SequenceDataset Select(SequenceDataset trackingNet, IReadOnlyCollection<int> setIds)
    {
        ArgumentNullException.ThrowIfNull(trackingNet);
        ArgumentNullException.ThrowIfNull(setIds);
        if (trackingNet.Format != DatasetFormat.TrackingNet)
            throw new ArgumentException($"'{trackingNet.Root}' is a {DatasetFormats.Name(trackingNet.Format)} dataset, not TrackingNet", nameof(trackingNet));
        foreach (int id in setIds)
            if (id is < 0 or >= Count)
                throw new ArgumentException($"TrackingNet set id {id} is not a training chunk (0..{Count - 1})", nameof(setIds));
        var wanted = setIds.Select(id => $"TRAIN_{id}").ToHashSet(StringComparer.Ordinal);
        var selected = trackingNet.Sequences.Where(s => wanted.Contains(ChunkOf(s))).ToList();
        return new SequenceDataset(trackingNet.Root, DatasetFormat.TrackingNet, selected, trackingNet.Findings);
    }

    /// <summary>The chunks the sequences of <paramref name="trackingNet"/> come from, in name order.</summary>
    public static IReadOnlyList<string> ChunksIn(ISequenceDataset trackingNet) =>
        trackingNet.Sequences.Select(ChunkOf).Distinct().Order(NaturalStringComparer.Instance).ToList();

    /// <summary>The chunk a TrackingNet sequence was read from: the <c>chunk</c> attribute <see cref="DatasetReader"/>
    /// records for every TrackingNet sequence.</summary>
    public static string ChunkOf(TrackingSequence sequence) => sequence.Attributes["chunk"];
}
