using System.Collections.Concurrent;
using TrackSharp.Data.Datasets;
using TrackSharp.Evaluation.Pysot;
using TrackSharp.Tracking;

namespace TrackSharp.Evaluation.Runs;

/// <summary>
/// The worker loop every evaluation protocol runs: one call per planned sequence on <see cref="OpeRunOptions.Parallel"/>
/// workers; a sequence that fails on bad input (unreadable frame, malformed annotation, tracker refusing its box)
/// becomes a failure while the others go on; backend threads forced for the run are put back afterwards, since
/// they are process-wide (torch.set_num_threads).
/// </summary>
internal static class SequenceWorkers
{
    /// <returns>The failures, in plan order.</returns>
    public static List<OpeSequenceFailure> RunAll(IReadOnlyList<string> sequenceNames, bool anyToTrack,
        OpeRunOptions options, TrackerOptions trackerOptions, Action<int> runSequence)
    {
        var failures = new ConcurrentDictionary<int, OpeSequenceFailure>();
        int? threadsBefore = trackerOptions.Threads != options.TrackerOptions.Threads && anyToTrack
            ? TorchSharp.torch.get_num_threads()
            : null;
        try
        {
            Parallel.For(0, sequenceNames.Count,
                new ParallelOptions { MaxDegreeOfParallelism = options.Parallel, CancellationToken = options.Cancellation },
                i =>
                {
                    try
                    {
                        runSequence(i);
                    }
                    catch (Exception e) when (e is OpeRunException or DatasetFormatException or IOException
                                                  or ArgumentException or FormatException or PysotEvaluationException)
                    {
                        failures[i] = new OpeSequenceFailure(sequenceNames[i], e.Message);
                    }
                });
        }
        finally
        {
            if (threadsBefore is { } n) TorchSharp.torch.set_num_threads(n);
        }
        return failures.OrderBy(f => f.Key).Select(f => f.Value).ToList();
    }
}
