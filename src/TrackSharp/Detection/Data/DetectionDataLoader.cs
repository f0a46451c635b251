namespace TrackSharp.Detection.Data;

/// <summary>Batching settings of maskrcnn-benchmark's <c>make_data_loader</c>.</summary>
public sealed record DetectionLoaderOptions
{
    /// <summary><c>SOLVER.IMS_PER_BATCH</c> (training) or <c>TEST.IMS_PER_BATCH</c>.</summary>
    public int ImagesPerBatch { get; init; } = 2;

    /// <summary>Aspect-ratio bins (<c>DATALOADER.ASPECT_RATIO_GROUPING</c> gives <c>[1]</c>); null or empty: no grouping.</summary>
    public IReadOnlyList<double>? AspectRatioBins { get; init; } = AspectRatioGrouping.DefaultBins;

    /// <summary><c>DATALOADER.SIZE_DIVISIBILITY</c> (32 for FPN).</summary>
    public int SizeDivisibility { get; init; } = 32;

    /// <summary>Shuffle each pass (training) or keep dataset order (testing).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>One seed for the pass shuffles and the per-image random draws of the transforms.</summary>
    public int Seed { get; init; } = 0;
}

/// <summary>
/// The detection data pipeline of maskrcnn-benchmark for training and testing: sampler (shuffled per pass, seeded
/// by the pass's starting iteration, or sequential), aspect-ratio grouped batches, transforms, and collation with
/// padding. Unlike the reference's global RNGs, every random draw derives from <see cref="DetectionLoaderOptions.Seed"/>
/// and the iteration, so a run resumed at iteration k sees exactly the batches an uninterrupted run restarted at k
/// would. Images are decoded when their batch is produced.
/// </summary>
public sealed class DetectionDataLoader(IDetectionDataset dataset, DetectionTransform transform, DetectionLoaderOptions options)
{
    private int[]? _groupIds;

    public IDetectionDataset Dataset { get; } = dataset;

    /// <summary>Dataset indices of one pass: a seeded permutation (Fisher-Yates) or 0..n-1.</summary>
    public int[] SampleOrder(long passSeed)
    {
        var order = Enumerable.Range(0, Dataset.Count).ToArray();
        if (!options.Shuffle) return order;
        var random = new Random(DeriveSeed(options.Seed, passSeed, -1));
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>The index batches of one pass (grouped by aspect ratio when bins are set).</summary>
    public List<int[]> BatchesOfPass(long passSeed)
    {
        var order = SampleOrder(passSeed);
        if (options.AspectRatioBins is { Count: > 0 } bins)
            return new GroupedBatchSampler(_groupIds ??= AspectRatioGrouping.GroupIds(Dataset, bins), options.ImagesPerBatch).Batches(order);
        return order.Chunk(options.ImagesPerBatch).ToList();
    }

    /// <summary>Training batches: iterations <c>startIteration + 1 .. maxIterations</c>.</summary>
    public IEnumerable<(long Iteration, DetectionBatch Batch)> Training(long maxIterations, long startIteration = 0)
    {
        var sampler = new IterationBasedBatchSampler(start => BatchesOfPass(start), maxIterations, startIteration);
        foreach (var (iteration, indices) in sampler.Iterate())
            yield return (iteration, Load(indices, iteration));
    }

    /// <summary>One pass in order (testing/inference): batches numbered from 1.</summary>
    public IEnumerable<DetectionBatch> OnePass()
    {
        long n = 0;
        foreach (var indices in BatchesOfPass(0)) yield return Load(indices, ++n);
    }

    /// <summary>Decodes, transforms and collates the images of one batch; each image's random draws are seeded by
    /// (seed, iteration, position in the batch).</summary>
    public DetectionBatch Load(IReadOnlyList<int> indices, long iteration)
    {
        var samples = new List<DetectionSample>(indices.Count);
        try
        {
            for (int p = 0; p < indices.Count; p++)
            {
                using var image = Dataset.LoadImage(indices[p]);
                var target = Dataset.GetTarget(indices[p]);
                if (image.Width != target.Width || image.Height != target.Height)
                    throw new DetectionDataException(Dataset.GetImageInfo(indices[p]).Path,
                        $"the decoded image is {image.Width}x{image.Height} but its annotation gives {target.Width}x{target.Height}");
                var random = new Random(DeriveSeed(options.Seed, iteration, p));
                samples.Add(transform.Apply(image, target, random, indices[p]));
            }
            return DetectionBatchCollator.Collate(samples, options.SizeDivisibility);
        }
        finally
        {
            foreach (var s in samples) s.Dispose();
        }
    }

    /// <summary>SplitMix64 of (seed, a, b): independent, well-mixed 32-bit seeds.</summary>
    private static int DeriveSeed(int seed, long a, long b)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)a * 0xBF58476D1CE4E5B9UL ^ (ulong)(b + 1) * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
