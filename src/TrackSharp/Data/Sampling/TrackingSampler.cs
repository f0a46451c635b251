using TrackSharp.Config;

namespace TrackSharp.Data.Sampling;

/// <summary>How <see cref="TrackingSampler"/> places template and search frames in a sequence (OSTrack/STARK
/// <c>DATA.SAMPLER_MODE</c>, pytracking <c>frame_sample_mode</c>).</summary>
public enum FrameSampleMode
{
    /// <summary>OSTrack/STARK <c>causal</c>: a base template frame, the other template frames before it (within the
    /// interval), then the search frames after it, in (base, base + interval).</summary>
    Causal,

    /// <summary>pytracking <c>interval</c> (DiMP, TrDiMP): a base frame anywhere, the other template frames and the
    /// search frames within ±interval of it, in any order.</summary>
    Interval,

    /// <summary>STARK <c>trident</c>: one template and one search frame anywhere, then one dynamic template per
    /// interval, on the template's side of the search frame and within that interval of it (all frames visible).</summary>
    Trident,

    /// <summary>STARK <c>trident_pro</c>: as <see cref="Trident"/>, but the dynamic templates may be invisible frames.</summary>
    TridentPro,
}

/// <summary>Options of <see cref="TrackingSampler"/>; the OSTrack config key each one mirrors is given.</summary>
public sealed record TrackingSamplerOptions
{
    /// <summary>Samples in one epoch (<c>DATA.TRAIN.SAMPLE_PER_EPOCH</c>). Default 60000.</summary>
    public int SamplesPerEpoch { get; init; } = 60000;

    /// <summary>Largest gap between the base template frame and the other frames (<c>DATA.MAX_SAMPLE_INTERVAL</c>).
    /// Grows by <see cref="GapIncrease"/> after each failed attempt in one sequence. Default 200.</summary>
    public int MaxSampleInterval { get; init; } = 200;

    /// <summary>The growth of the interval per failed attempt (OSTrack: 5).</summary>
    public int GapIncrease { get; init; } = 5;

    /// <summary>Template frames per sample (<c>DATA.TEMPLATE.NUMBER</c>). Default 1.</summary>
    public int TemplateFrames { get; init; } = 1;

    /// <summary>Search frames per sample (<c>DATA.SEARCH.NUMBER</c>). Default 1.</summary>
    public int SearchFrames { get; init; } = 1;

    /// <summary>Where the frames are placed (<c>DATA.SAMPLER_MODE</c>). Default <see cref="FrameSampleMode.Causal"/>.</summary>
    public FrameSampleMode Mode { get; init; } = FrameSampleMode.Causal;

    /// <summary>For the trident modes: one interval per dynamic template (STARK's list-valued
    /// <c>MAX_SAMPLE_INTERVAL</c>); null: <see cref="MaxSampleInterval"/> for each of the
    /// <see cref="TemplateFrames"/> - 1 dynamic templates.</summary>
    public IReadOnlyList<int>? TridentIntervals { get; init; }

    /// <summary>A sequence is used only when it has at least this many frames (pytracking: 20) and more than
    /// 2 × (template + search frames) visible frames.</summary>
    public int MinSequenceLength { get; init; } = 20;

    /// <summary>The seed every draw derives from. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Draws (of a dataset and a sequence, or of frames in a sequence) before the sampler gives up with an
    /// error naming the dataset: the reference loops forever on a dataset without a usable sequence. Default 10000.</summary>
    public int MaxAttempts { get; init; } = 10000;

    internal void Validate()
    {
        static void Check(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        Check(SamplesPerEpoch >= 1, $"SAMPLE_PER_EPOCH must be at least 1, got {SamplesPerEpoch}");
        Check(MaxSampleInterval >= 1, $"MAX_SAMPLE_INTERVAL must be at least 1, got {MaxSampleInterval}");
        Check(GapIncrease >= 0, $"gap increase must be >= 0, got {GapIncrease}");
        Check(TemplateFrames >= 1, $"TEMPLATE.NUMBER must be at least 1, got {TemplateFrames}");
        Check(SearchFrames >= 1, $"SEARCH.NUMBER must be at least 1, got {SearchFrames}");
        Check(MinSequenceLength >= 0, $"minimum sequence length must be >= 0, got {MinSequenceLength}");
        Check(MaxAttempts >= 1, $"max attempts must be at least 1, got {MaxAttempts}");
        Check(Enum.IsDefined(Mode), $"unknown sampler mode {Mode}");
        if (Mode is FrameSampleMode.Trident or FrameSampleMode.TridentPro)
        {
            Check(SearchFrames == 1, $"the trident modes draw one search frame; SEARCH.NUMBER is {SearchFrames}");
            if (TridentIntervals is { } gaps)
            {
                Check(gaps.Count == TemplateFrames - 1,
                    $"{gaps.Count} trident intervals for {TemplateFrames} template frames (give TEMPLATE.NUMBER - 1)");
                Check(gaps.All(g => g >= 1), "trident intervals must be at least 1");
            }
        }
    }

    internal IReadOnlyList<int> TridentGaps =>
        TridentIntervals ?? Enumerable.Repeat(MaxSampleInterval, TemplateFrames - 1).ToArray();
}

/// <summary>One training sample's frames: which dataset and sequence, and the template and search frame indices
/// (0-based frames of the sequence). In causal mode the first template frame is the base frame; the other template
/// frames precede it and every search frame follows it.</summary>
public sealed record TrackingSample(int DatasetIndex, string DatasetName, int SequenceIndex, string SequenceName,
    IReadOnlyList<int> TemplateFrames, IReadOnlyList<int> SearchFrames)
{
    public override string ToString() =>
        $"{DatasetName}/{SequenceName} template [{string.Join(", ", TemplateFrames)}] search [{string.Join(", ", SearchFrames)}]";
}

/// <summary>
/// The OSTrack/pytracking <c>TrackingSampler</c>: for each sample, a dataset is drawn with probability proportional
/// to its ratio, a sequence of it uniformly (drawn again until it has at least
/// <see cref="TrackingSamplerOptions.MinSequenceLength"/> frames and more than 2 × (template + search) visible
/// frames; not checked for an image dataset, <see cref="ISampleSource.IsVideo"/> false, whose one frame is every template
/// and search frame), then the template and search frames by <see cref="TrackingSamplerOptions.Mode"/>, all among visible
/// frames (except <see cref="FrameSampleMode.TridentPro"/>'s dynamic templates). Frames are drawn with replacement,
/// as <c>random.choices</c> does.
/// <para>
/// Deterministic: sample <c>i</c> of epoch <c>e</c> (and retry <c>attempt</c>) uses its own generator keyed by
/// (seed, e, i, attempt), so it is the same whatever the thread count or the order of requests. The reference's
/// exact random stream is not reproduced.
/// </para>
/// <para>
/// Where the reference crashes or loops forever this sampler does not: <c>DATASETS_RATIO</c> of another length than
/// <c>DATASETS_NAME</c> is resolved by <see cref="DatasetRatios.Resolve"/> (one ratio, or defaults, mean equal
/// weights; other mismatches are an error naming both lists); a sequence where no base frame can be placed is
/// replaced by another draw; a dataset without a usable sequence gives an error naming it after
/// <see cref="TrackingSamplerOptions.MaxAttempts"/> draws.
/// </para>
/// </summary>
public sealed class TrackingSampler
{
    private const ulong Purpose = 0x7472_6163_6B5FUL; // "track_"

    private readonly ISampleSource[] _datasets;
    private readonly double[] _probabilities;
    private readonly TrackingSamplerOptions _options;
    private readonly IReadOnlyList<int> _tridentGaps;

    /// <summary>A sampler over <paramref name="datasets"/>.</summary>
    /// <param name="datasets">The training datasets, in <c>DATASETS_NAME</c> order.</param>
    /// <param name="ratios"><c>DATASETS_RATIO</c>, resolved against the dataset names by <see cref="DatasetRatios.Resolve"/>
    ///   and normalised; null: proportional to the number of sequences (pytracking's <c>p_datasets=None</c>).</param>
    /// <param name="options">The rest of the configuration.</param>
    /// <param name="ratiosAreDefault">The ratios are the family default, not set by the experiment (see <see cref="DatasetRatios"/>).</param>
    /// <exception cref="ArgumentException">No dataset, bad options, or ratios that cannot be matched to the datasets.</exception>
    public TrackingSampler(IReadOnlyList<ISampleSource> datasets, IReadOnlyList<double>? ratios, TrackingSamplerOptions options,
        bool ratiosAreDefault = false)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        ArgumentNullException.ThrowIfNull(options);
        if (datasets.Count == 0) throw new ArgumentException("no training dataset given", nameof(datasets));
        options.Validate();
        _datasets = datasets.ToArray();
        _options = options;
        _tridentGaps = options.TridentGaps;

        double[] weights = ratios is null
            ? _datasets.Select(d => (double)d.SequenceCount).ToArray()
            : DatasetRatios.Resolve(_datasets.Select(d => d.Name).ToList(), ratios, ratiosAreDefault);
        double total = weights.Sum();
        if (!(total > 0))
            throw new ArgumentException($"no dataset can be drawn: weights [{string.Join(", ", weights)}] for " +
                                        $"[{string.Join(", ", _datasets.Select(d => d.Name))}]");
        _probabilities = weights.Select(w => w / total).ToArray();
    }

    /// <summary>The datasets, in the order given.</summary>
    public IReadOnlyList<ISampleSource> Datasets => _datasets;

    /// <summary>Probability of each dataset per draw (the ratios normalised to sum 1).</summary>
    public IReadOnlyList<double> Probabilities => _probabilities;

    /// <summary>The options.</summary>
    public TrackingSamplerOptions Options => _options;

    /// <summary>Samples per epoch (the loader's length).</summary>
    public int SamplesPerEpoch => _options.SamplesPerEpoch;

    /// <summary>The samples of epoch <paramref name="epoch"/>, in index order.</summary>
    public IEnumerable<TrackingSample> Epoch(int epoch)
    {
        for (int i = 0; i < SamplesPerEpoch; i++) yield return Sample(epoch, i);
    }

    /// <summary>Sample <paramref name="index"/> of epoch <paramref name="epoch"/>. <paramref name="attempt"/> &gt; 0
    /// gives an independent replacement draw, for a loader whose processing rejected the previous one (the
    /// reference's <c>while not valid</c> loop), still determined by (seed, epoch, index, attempt).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative epoch or attempt, or an index outside 0..SamplesPerEpoch-1.</exception>
    /// <exception cref="InvalidOperationException">No usable sequence or frames after <see cref="TrackingSamplerOptions.MaxAttempts"/> draws.</exception>
    public TrackingSample Sample(int epoch, int index, int attempt = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SamplesPerEpoch);
        var rng = SampleRandom.For(_options.Seed, Purpose ^ ((ulong)attempt << 48), epoch, index);

        int frameFailures = 0;
        while (true)
        {
            int d = rng.NextWeighted(_probabilities);
            var (sequence, visible) = DrawSequence(d, rng);
            if (!_datasets[d].IsVideo) // an image dataset: the one image is every template and search frame
                return new TrackingSample(d, _datasets[d].Name, sequence, _datasets[d].SequenceName(sequence),
                    new int[_options.TemplateFrames], new int[_options.SearchFrames]);
            var ids = _options.Mode switch
            {
                FrameSampleMode.Causal => Causal(visible, rng),
                FrameSampleMode.Interval => Interval(visible, rng),
                _ => Trident(visible, rng, allowInvisible: _options.Mode == FrameSampleMode.TridentPro),
            };
            if (ids is { } found)
                return new TrackingSample(d, _datasets[d].Name, sequence, _datasets[d].SequenceName(sequence),
                    found.Template, found.Search);
            if (++frameFailures >= _options.MaxAttempts)
                throw new InvalidOperationException(
                    $"no {_options.Mode} frames could be placed after {frameFailures} sequence draws (last: " +
                    $"{_datasets[d].Name}/{_datasets[d].SequenceName(sequence)}); check MAX_SAMPLE_INTERVAL and the frame numbers");
        }
    }

    /// <summary>A uniformly drawn sequence of dataset <paramref name="d"/> with enough visible frames.</summary>
    private (int Sequence, FrameVisibility Visible) DrawSequence(int d, SampleRandom rng)
    {
        var dataset = _datasets[d];
        if (dataset.SequenceCount == 0)
            throw new InvalidOperationException($"dataset '{dataset.Name}' has no sequence to sample from");
        int needVisible = 2 * (_options.TemplateFrames + _options.SearchFrames);
        for (int tries = 0; tries < _options.MaxAttempts; tries++)
        {
            int s = rng.NextInt(dataset.SequenceCount);
            var visible = dataset.Visibility(s);
            if (!dataset.IsVideo) return (s, visible); // image datasets skip the check, as in the reference
            if (visible.VisibleCount > needVisible && visible.Length >= _options.MinSequenceLength)
                return (s, visible);
        }
        throw new InvalidOperationException(
            $"dataset '{dataset.Name}': no sequence with at least {_options.MinSequenceLength} frames and more than " +
            $"{needVisible} visible frames found in {_options.MaxAttempts} draws ({dataset.SequenceCount} sequences)");
    }

    /// <summary>pytracking's <c>_sample_visible_ids</c>: <paramref name="count"/> frames drawn with replacement among
    /// the (visible, unless <paramref name="allowInvisible"/>) frames in [min, max) clamped to the sequence; empty
    /// for count 0; null when there is none to draw.</summary>
    internal static int[]? SampleIds(FrameVisibility visible, SampleRandom rng, int count, int min, int max, bool allowInvisible = false)
    {
        if (count == 0) return [];
        min = Math.Max(min, 0);
        max = Math.Min(max, visible.Length);
        var ids = new int[count];
        if (allowInvisible)
        {
            if (max <= min) return null;
            for (int i = 0; i < count; i++) ids[i] = rng.NextInt(min, max);
            return ids;
        }
        var (lo, hi) = visible.VisibleRange(min, max);
        if (hi <= lo) return null;
        for (int i = 0; i < count; i++) ids[i] = visible.VisibleAt(rng.NextInt(lo, hi));
        return ids;
    }

    /// <summary>Frame attempts within one sequence before it is given up: once the grown interval spans the whole
    /// sequence, growing it further cannot help, so a few more base frames are tried and then another sequence.</summary>
    private bool GiveUp(int gapIncrease, int tries, int length) =>
        tries >= _options.MaxAttempts || (_options.MaxSampleInterval + gapIncrease > length && tries > 64 + length / Math.Max(1, _options.GapIncrease));

    private (int[] Template, int[] Search)? Causal(FrameVisibility visible, SampleRandom rng)
    {
        int t = _options.TemplateFrames, s = _options.SearchFrames, gap = _options.MaxSampleInterval;
        int increase = 0;
        for (int tries = 0; !GiveUp(increase, tries, visible.Length); tries++)
        {
            var baseId = SampleIds(visible, rng, 1, t - 1, visible.Length - s);
            if (baseId is null) return null; // the reference crashes here (None[0]); draw another sequence
            var previous = SampleIds(visible, rng, t - 1, baseId[0] - gap - increase, baseId[0]);
            if (previous is null)
            {
                increase += _options.GapIncrease;
                continue;
            }
            var search = SampleIds(visible, rng, s, baseId[0] + 1, baseId[0] + gap + increase);
            increase += _options.GapIncrease;
            if (search is not null) return ([baseId[0], .. previous], search);
        }
        return null;
    }

    private (int[] Template, int[] Search)? Interval(FrameVisibility visible, SampleRandom rng)
    {
        int t = _options.TemplateFrames, s = _options.SearchFrames, gap = _options.MaxSampleInterval;
        int increase = 0;
        for (int tries = 0; !GiveUp(increase, tries, visible.Length); tries++)
        {
            var baseId = SampleIds(visible, rng, 1, 0, visible.Length);
            if (baseId is null) return null;
            var extra = SampleIds(visible, rng, t - 1, baseId[0] - gap - increase, baseId[0] + gap + increase);
            if (extra is null)
            {
                increase += _options.GapIncrease;
                continue;
            }
            var search = SampleIds(visible, rng, s, baseId[0] - gap - increase, baseId[0] + gap + increase);
            increase += _options.GapIncrease;
            if (search is not null) return ([baseId[0], .. extra], search);
        }
        return null;
    }

    private (int[] Template, int[] Search)? Trident(FrameVisibility visible, SampleRandom rng, bool allowInvisible)
    {
        for (int tries = 0; tries < Math.Min(_options.MaxAttempts, 256); tries++)
        {
            var first = SampleIds(visible, rng, 1, 0, visible.Length);
            var search = SampleIds(visible, rng, 1, 0, visible.Length);
            if (first is null || search is null) return null;
            var template = new int[1 + _tridentGaps.Count];
            template[0] = first[0];
            bool ok = true;
            for (int g = 0; g < _tridentGaps.Count && ok; g++)
            {
                int gap = _tridentGaps[g];
                var (min, max) = first[0] >= search[0] ? (search[0], search[0] + gap) : (search[0] - gap, search[0]);
                var extra = SampleIds(visible, rng, 1, min, max, allowInvisible);
                if (extra is null) ok = false;
                else template[1 + g] = extra[0];
            }
            if (ok) return (template, search);
        }
        return null;
    }
}
