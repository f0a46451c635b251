using System.Collections.Concurrent;

namespace TrackSharp.Data.Sampling;

/// <summary>One dataset of a <see cref="SiamPairSampler"/> with its pysot settings
/// (<c>DATASET.&lt;NAME&gt;.FRAME_RANGE</c> and <c>.NUM_USE</c>).</summary>
/// <param name="Source">The dataset.</param>
/// <param name="FrameRange">How far (in the video's visible frames) the search frame may lie from the template frame.</param>
/// <param name="NumUse">Length of this dataset's pick list per round: -1 = every video once; larger than the
///   number of videos repeats freshly shuffled copies; smaller takes a random subset.</param>
public sealed record SiamSubset(ISampleSource Source, int FrameRange = 100, int NumUse = -1);

/// <summary>Options of <see cref="SiamPairSampler"/> (pysot/siamban <c>cfg.DATASET</c>).</summary>
public sealed record SiamPairSamplerOptions
{
    /// <summary>Samples per epoch (<c>DATASET.VIDEOS_PER_EPOCH</c>); 0 or less: the sum of the pick-list lengths.
    /// Default 1000000.</summary>
    public int VideosPerEpoch { get; init; } = 1_000_000;

    /// <summary>Probability of a negative pair (<c>DATASET.NEG</c>): the search frame comes from a random video of a
    /// uniformly drawn dataset. Default 0.2.</summary>
    public double Negative { get; init; } = 0.2;

    /// <summary>Probability that the pair is to be converted to grey (<c>DATASET.GRAY</c>); drawn here so the whole
    /// sample is fixed by (seed, epoch, index). Default 0.</summary>
    public double Gray { get; init; }

    /// <summary>pysot may draw the template's own video for a negative search frame (rarely, on large datasets);
    /// true draws again until another video comes up (when there is another). Default false (as pysot).</summary>
    public bool NegativeFromOtherVideo { get; init; }

    /// <summary>The seed every draw derives from. Default 0.</summary>
    public int Seed { get; init; }
}

/// <summary>A frame of a video: dataset index (in the sampler's subset order), sequence index in that dataset, frame index.</summary>
public readonly record struct FrameRef(int Dataset, int Sequence, int Frame);

/// <summary>One template/search pair of <see cref="SiamPairSampler"/>.</summary>
public sealed record SiamPairSample(FrameRef Template, FrameRef Search, bool Negative, bool Gray);

/// <summary>
/// The pysot/siamban training pairs (<c>BANDataset</c> with its <c>SubDataset</c>s), with its pick lists:
/// <list type="number">
/// <item>each dataset keeps the videos with at least one visible frame (pysot's <c>_filter_zero</c>), numbered
/// globally in dataset order, and builds once a pick list of <c>NUM_USE</c> videos: shuffled copies of its list
/// concatenated until long enough, then cut (<c>NUM_USE = -1</c>: one shuffled copy);</item>
/// <item>the epoch list is a stream of rounds, each round the concatenation of all pick lists shuffled afresh;
/// epoch <c>e</c> takes positions [e·V, (e+1)·V) of that stream (V = <c>VIDEOS_PER_EPOCH</c>), as pysot's single list
/// of V × EPOCH entries is cut into epochs;</item>
/// <item>sample <c>i</c>: with probability <c>NEG</c> a negative pair (template: a random visible frame of the picked
/// video; search: a random visible frame of a random video of a uniformly drawn dataset), otherwise a positive pair
/// (template: a random visible frame; search: uniform among the visible frames at most <c>FRAME_RANGE</c> positions
/// from it in the video's list of visible frames, as pysot counts in its list of annotated frames).</item>
/// </list>
/// Deterministic for a seed: pick lists and rounds are keyed by (seed, dataset) and (seed, round), each sample by
/// (seed, epoch, index), so nothing depends on threads or request order. NumPy's stream is not reproduced.
/// The constructor reads every sequence's visibility (pysot reads all annotations at start-up too).
/// </summary>
public sealed class SiamPairSampler
{
    private const ulong PickPurpose = 0x7069_636B_5F5FUL, RoundPurpose = 0x726F_756E_645FUL, PairPurpose = 0x7061_6972_5F5FUL;

    private readonly SiamSubset[] _subsets;
    private readonly int[][] _videos;        // per subset: sequence indices with a visible frame
    private readonly int[] _start;           // per subset: global index of its first video
    private readonly int[][] _picks;         // per subset: global video indices
    private readonly int[] _all;             // concatenated picks (the round before shuffling)
    private readonly SiamPairSamplerOptions _options;
    private readonly ConcurrentDictionary<long, Lazy<int[]>> _rounds = new();

    /// <exception cref="ArgumentException">No subset, a subset without any visible frame, or bad options.</exception>
    public SiamPairSampler(IReadOnlyList<SiamSubset> subsets, SiamPairSamplerOptions options)
    {
        ArgumentNullException.ThrowIfNull(subsets);
        ArgumentNullException.ThrowIfNull(options);
        if (subsets.Count == 0) throw new ArgumentException("no training dataset given", nameof(subsets));
        if (!(options.Negative is >= 0 and <= 1)) throw new ArgumentException($"NEG must be 0..1, got {options.Negative}");
        if (!(options.Gray is >= 0 and <= 1)) throw new ArgumentException($"GRAY must be 0..1, got {options.Gray}");
        _subsets = subsets.ToArray();
        _options = options;
        _videos = new int[_subsets.Length][];
        _start = new int[_subsets.Length];
        _picks = new int[_subsets.Length][];
        int start = 0;
        for (int d = 0; d < _subsets.Length; d++)
        {
            var sub = _subsets[d];
            if (sub.FrameRange < 0) throw new ArgumentException($"{sub.Source.Name}: FRAME_RANGE must be >= 0, got {sub.FrameRange}");
            if (sub.NumUse < -1) throw new ArgumentException($"{sub.Source.Name}: NUM_USE must be -1 or >= 0, got {sub.NumUse}");
            _videos[d] = Enumerable.Range(0, sub.Source.SequenceCount).Where(s => sub.Source.Visibility(s).VisibleCount > 0).ToArray();
            if (_videos[d].Length == 0)
                throw new ArgumentException($"dataset '{sub.Source.Name}' has no sequence with a visible frame " +
                                            $"({sub.Source.SequenceCount} sequences)");
            _start[d] = start;
            _picks[d] = BuildPicks(start, _videos[d].Length, sub.NumUse == -1 ? _videos[d].Length : sub.NumUse,
                SampleRandom.For(options.Seed, PickPurpose, d, 0));
            start += _videos[d].Length;
        }
        _all = _picks.SelectMany(p => p).ToArray();
        if (_all.Length == 0) throw new ArgumentException("every NUM_USE is 0: nothing to sample");
        EpochLength = options.VideosPerEpoch > 0 ? options.VideosPerEpoch : _all.Length;
    }

    /// <summary>pysot's <c>SubDataset.shuffle</c>: shuffled copies of start..start+count-1 until <paramref name="numUse"/> long, then cut.</summary>
    private static int[] BuildPicks(int start, int count, int numUse, SampleRandom rng)
    {
        var list = Enumerable.Range(start, count).ToArray();
        var pick = new List<int>(numUse + count);
        while (pick.Count < numUse)
        {
            rng.Shuffle(list.AsSpan());
            pick.AddRange(list);
        }
        return pick.GetRange(0, numUse).ToArray();
    }

    /// <summary>The datasets with their settings.</summary>
    public IReadOnlyList<SiamSubset> Subsets => _subsets;

    /// <summary>Samples per epoch.</summary>
    public int EpochLength { get; }

    /// <summary>Total number of kept videos (those with a visible frame) over all datasets.</summary>
    public int VideoCount => _start[^1] + _videos[^1].Length;

    /// <summary>Dataset <paramref name="dataset"/>'s pick list: global video indices (see <see cref="Video"/>).</summary>
    public IReadOnlyList<int> Picks(int dataset) => _picks[dataset];

    /// <summary>The dataset and sequence of global video index <paramref name="video"/> (pysot's <c>_find_dataset</c>).</summary>
    public (int Dataset, int Sequence) Video(int video)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(video);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(video, VideoCount);
        int d = _start.Length - 1;
        while (_start[d] > video) d--;
        return (d, _videos[d][video - _start[d]]);
    }

    /// <summary>The global video index picked for sample <paramref name="index"/> of epoch <paramref name="epoch"/>.</summary>
    public int PickedVideo(int epoch, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, EpochLength);
        long position = (long)epoch * EpochLength + index;
        long round = position / _all.Length;
        return Round(round)[(int)(position % _all.Length)];
    }

    /// <summary>The picked videos of epoch <paramref name="epoch"/>, in order.</summary>
    public int[] EpochPicks(int epoch)
    {
        var picks = new int[EpochLength];
        for (int i = 0; i < picks.Length; i++) picks[i] = PickedVideo(epoch, i);
        return picks;
    }

    private int[] Round(long round)
    {
        if (_rounds.Count > 8) _rounds.Clear(); // rounds are recomputed identically when needed again
        return _rounds.GetOrAdd(round, r => new Lazy<int[]>(() =>
        {
            var shuffled = (int[])_all.Clone();
            SampleRandom.For(_options.Seed, RoundPurpose, r, 0).Shuffle(shuffled.AsSpan());
            return shuffled;
        })).Value;
    }

    /// <summary>The pair for sample <paramref name="index"/> of epoch <paramref name="epoch"/>.</summary>
    public SiamPairSample Sample(int epoch, int index)
    {
        var (d, sequence) = Video(PickedVideo(epoch, index));
        var rng = SampleRandom.For(_options.Seed, PairPurpose, epoch, index);
        bool gray = _options.Gray > 0 && _options.Gray > rng.NextDouble();
        bool negative = _options.Negative > 0 && _options.Negative > rng.NextDouble();
        var visible = _subsets[d].Source.Visibility(sequence).VisibleFrames;
        if (negative)
        {
            var template = new FrameRef(d, sequence, visible[rng.NextInt(visible.Count)]);
            bool other = _options.NegativeFromOtherVideo && VideoCount > 1;
            while (true)
            {
                int sd = rng.NextInt(_subsets.Length);
                int ss = _videos[sd][rng.NextInt(_videos[sd].Length)];
                if (other && sd == d && ss == sequence) continue;
                var sv = _subsets[sd].Source.Visibility(ss).VisibleFrames;
                return new SiamPairSample(template, new FrameRef(sd, ss, sv[rng.NextInt(sv.Count)]), true, gray);
            }
        }
        int n = visible.Count, range = _subsets[d].FrameRange;
        int t = rng.NextInt(n);
        int left = Math.Max(t - range, 0), right = Math.Min(t + range, n - 1);
        int s = rng.NextInt(left, right + 1);
        return new SiamPairSample(new FrameRef(d, sequence, visible[t]), new FrameRef(d, sequence, visible[s]), false, gray);
    }
}
