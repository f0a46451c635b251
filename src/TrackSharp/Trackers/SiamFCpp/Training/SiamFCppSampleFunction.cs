using OpenCvSharp;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Sampling;
using TrackSharp.Geometry;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>
/// Builds SiamFC++ training samples for a <see cref="SampleLoader{TSample}"/>, as videoanalyst's data pipeline does
/// (<c>TrackPairSampler</c> → <c>RandomCropTransformer</c> → <c>DenseboxTarget</c>): the pair comes from a
/// <see cref="SiamPairSampler"/> (negative pairs at the config's <c>negative_pair_ratio</c>: the search frame and its
/// box come from another video), both frames are read from their datasets, cropped by <see cref="SiamFCppPairCrop"/>
/// with jitter drawn from the loader's per-sample <see cref="Random"/>, and the search box becomes the dense targets.
/// Boxes are the annotations as videoanalyst reads them (<c>xywh2xyxy</c>: inclusive corners).
/// </summary>
/// <remarks>
/// The pair of sample i of epoch e is the sampler's pair (e, i) on the first draw; a redraw (attempt a &gt; 0, after a
/// corrupt frame) takes the sampler's pair at index <c>(i + a·7919) mod EpochLength</c> so that an unreadable frame is
/// not asked for again. Everything is a function of (seed, epoch, index, attempt), whatever thread runs it.
/// </remarks>
public sealed class SiamFCppSampleFunction
{
    private readonly SiamPairSampler _sampler;
    private readonly IReadOnlyList<ISequenceDataset> _datasets;

    /// <param name="sampler">Pair sampler whose subsets are <paramref name="datasets"/>, in the same order.</param>
    /// <param name="datasets">The datasets the sampler's <see cref="FrameRef.Dataset"/> indices refer to.</param>
    /// <param name="builder">Crop and targets of one pair.</param>
    public SiamFCppSampleFunction(SiamPairSampler sampler, IReadOnlyList<ISequenceDataset> datasets, SiamFCppSampleBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(datasets);
        if (datasets.Count != sampler.Subsets.Count)
            throw new ArgumentException($"{datasets.Count} datasets for a sampler of {sampler.Subsets.Count} subsets", nameof(datasets));
        _sampler = sampler;
        _datasets = datasets;
        Builder = builder ?? throw new ArgumentNullException(nameof(builder));
    }

    /// <summary>Crop and targets of one pair.</summary>
    public SiamFCppSampleBuilder Builder { get; }

    /// <summary>Boxes this filter rejects make the pair a redraw (null: every pair is used).</summary>
    public SiamFCppPairFilter? Filter { get; init; }

    /// <summary>A sampler over <paramref name="datasets"/> with the config's <c>negative_pair_ratio</c> and one epoch of
    /// <c>nr_image_per_epoch</c> pairs (see the other overload).</summary>
    public static SiamPairSampler CreateSampler(IReadOnlyList<ISequenceDataset> datasets, SiamFCppTrainSettings settings,
        int seed, int frameRange = 100)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return CreateSampler(datasets, settings.NegativePairRatio, settings.NrImagePerEpoch, seed, frameRange);
    }

    /// <summary>A sampler over <paramref name="datasets"/>: every video once per pick list, a negative pair (search
    /// frame from another video) with probability <paramref name="negativePairRatio"/>, search frames at most
    /// <paramref name="frameRange"/> visible frames from the template (videoanalyst's <c>max_diff</c>, 100).</summary>
    public static SiamPairSampler CreateSampler(IReadOnlyList<ISequenceDataset> datasets, double negativePairRatio,
        int pairsPerEpoch, int seed, int frameRange = 100)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        var subsets = datasets.Select(d => new SiamSubset(new DatasetSampleSource(d), frameRange)).ToArray();
        return new SiamPairSampler(subsets, new SiamPairSamplerOptions
        {
            VideosPerEpoch = pairsPerEpoch,
            Negative = negativePairRatio,
            NegativeFromOtherVideo = true,
            Seed = seed,
        });
    }

    /// <summary>The function the loader calls.</summary>
    public SampleFunction<SiamFCppTrainingSample> AsSampleFunction() => Build;

    /// <summary>The sampler's pair for a draw (see the remarks for redraws).</summary>
    public SiamPairSample PairFor(int epoch, int index, int attempt)
    {
        long i = ((long)index + (long)attempt * 7919) % _sampler.EpochLength;
        return _sampler.Sample(epoch, (int)i);
    }

    /// <summary>Builds the sample of <paramref name="context"/>.</summary>
    /// <returns>The sample, or null when <see cref="Filter"/> rejects a box (the loader then redraws).</returns>
    /// <exception cref="FrameReadException">A frame is missing or cannot be decoded (names the sequence and frame).</exception>
    public SiamFCppTrainingSample? Build(SampleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pair = PairFor(context.Epoch, context.Index, context.Attempt);
        var (zSequence, zBox) = Annotated(pair.Template);
        var (xSequence, xBox) = Annotated(pair.Search);
        using var zFrame = zSequence.ReadSampleFrame(pair.Template.Frame);
        using var xFrame = xSequence.ReadSampleFrame(pair.Search.Frame);
        if (Filter is { } filter && (filter.Rejects(zBox, zFrame.Width, zFrame.Height) || filter.Rejects(xBox, xFrame.Width, xFrame.Height)))
            return null;
        return Builder.Build(zFrame, zBox, xFrame, xBox, pair.Negative, new RandomUniformDraws(context.Random));
    }

    private (TrackingSequence Sequence, BoxXyxy Box) Annotated(FrameRef frame)
    {
        var sequence = _datasets[frame.Dataset].Sequences[frame.Sequence];
        return (sequence, SiamFCppPairCrop.AnnotationBox(sequence.GroundTruth[frame.Frame]));
    }
}
