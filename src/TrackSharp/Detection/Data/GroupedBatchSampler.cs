namespace TrackSharp.Detection.Data;

/// <summary>
/// maskrcnn-benchmark's <c>GroupedBatchSampler</c>: given one pass of sampled dataset indices, each group's indices
/// keep their sampled order and are cut into batches of <c>batchSize</c> (the last one of a group may be short);
/// the batches are then ordered by the sampled position of their first element, so the pass still follows the
/// sampler's order as closely as grouping allows. With <c>dropUneven</c> short batches are dropped.
/// </summary>
public sealed class GroupedBatchSampler
{
    private readonly int[] _groupIds;
    private readonly int[] _groups;

    public GroupedBatchSampler(IReadOnlyList<int> groupIds, int batchSize, bool dropUneven = false)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be positive, got {batchSize}");
        _groupIds = groupIds.ToArray();
        _groups = _groupIds.Distinct().Order().ToArray();
        BatchSize = batchSize;
        DropUneven = dropUneven;
    }

    public int BatchSize { get; }
    public bool DropUneven { get; }

    /// <summary>The batches of one pass over <paramref name="sampledIndices"/> (dataset indices in sampled order).</summary>
    public List<int[]> Batches(IReadOnlyList<int> sampledIndices)
    {
        var position = new Dictionary<int, int>(sampledIndices.Count);
        for (int j = 0; j < sampledIndices.Count; j++)
        {
            int idx = sampledIndices[j];
            if ((uint)idx >= (uint)_groupIds.Length)
                throw new ArgumentOutOfRangeException(nameof(sampledIndices), $"sampled index {idx} is outside the dataset (0..{_groupIds.Length - 1})");
            position[idx] = j; // a repeated index keeps its last position, as the reference's inverse map
        }
        var merged = new List<int[]>();
        foreach (int group in _groups)
        {
            var members = new List<int>();
            foreach (int idx in sampledIndices)
                if (_groupIds[idx] == group) members.Add(idx);
            for (int start = 0; start < members.Count; start += BatchSize)
                merged.Add(members.GetRange(start, Math.Min(BatchSize, members.Count - start)).ToArray());
        }
        var batches = merged.Select((b, i) => (Batch: b, Order: i))
            .OrderBy(x => position[x.Batch[0]]).ThenBy(x => x.Order).Select(x => x.Batch).ToList();
        if (DropUneven) batches.RemoveAll(b => b.Length != BatchSize);
        return batches;
    }
}
