namespace TrackSharp.Detection.Data;

/// <summary>
/// maskrcnn-benchmark's <c>IterationBasedBatchSampler</c>: repeats passes of a batch sampler until
/// <c>numIterations</c> batches have been produced, starting the count at <c>startIteration</c> (resume). As there,
/// a resumed run starts a fresh pass at <c>startIteration</c> rather than the middle of the interrupted one; each pass
/// is asked for with the iteration at which it starts (the reference's <c>set_epoch(iteration)</c>), so a pass can be
/// shuffled with a seed derived from it and a resumed run is deterministic. Iterations are 1-based: the first batch
/// after <c>startIteration = 0</c> is iteration 1, and the last one is <c>numIterations</c>.
/// </summary>
public sealed class IterationBasedBatchSampler(Func<long, IReadOnlyList<int[]>> batchesOfPassStartingAt, long numIterations, long startIteration = 0)
{
    public long NumIterations { get; } = numIterations;
    public long StartIteration { get; } = startIteration;

    public IEnumerable<(long Iteration, int[] Batch)> Iterate()
    {
        long iteration = StartIteration;
        while (iteration <= NumIterations)
        {
            var batches = batchesOfPassStartingAt(iteration);
            if (batches.Count == 0) throw new InvalidOperationException($"the batch sampler produced no batch for the pass starting at iteration {iteration} (empty dataset, or every batch dropped)");
            foreach (var batch in batches)
            {
                iteration++;
                if (iteration > NumIterations) yield break;
                yield return (iteration, batch);
            }
        }
    }
}
