using TrackSharp.Data.Datasets;

namespace TrackSharp.Evaluation.Runs;

/// <summary>
/// What every evaluation protocol checks before any work: valid options, a known tracker (one instance is created,
/// so a bad weights file fails here and its reported name names the results folder) and the selected sequences.
/// </summary>
internal static class RunSelection
{
    public static (string TrackerName, List<TrackingSequence> Sequences) Resolve(ISequenceDataset dataset, OpeRunOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Parallel, 1);
        if (options.MaxFrames is < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxFrames must be 1 or more");
        if (!options.Registry.Contains(options.TrackerName))
            throw new KeyNotFoundException($"unknown tracker '{options.TrackerName}'; known trackers: " +
                                           string.Join(", ", options.Registry.Entries.Select(e => e.Name)));
        string trackerName;
        using (var probe = options.Registry.Create(options.TrackerName, options.TrackerOptions))
            trackerName = probe.Name;

        var sequences = options.Sequences is { } names
            ? names.Select(n => dataset[n]).DistinctBy(s => s.Name).ToList()
            : dataset.Sequences.ToList();
        if (sequences.Count == 0)
            throw new OpeRunException($"no sequences in {DatasetFormats.Name(dataset.Format)} dataset '{dataset.Root}'");
        return (trackerName, sequences);
    }
}
