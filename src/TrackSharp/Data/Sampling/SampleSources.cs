using TrackSharp.Data.Datasets;

namespace TrackSharp.Data.Sampling;

/// <summary>Which frames of one sequence show the target: <see cref="Length"/> frames, the visible ones listed in
/// increasing order. Immutable; shared between threads.</summary>
public sealed class FrameVisibility
{
    private readonly int[] _visible;

    /// <summary>From one flag per frame (true = the target can be seen).</summary>
    public FrameVisibility(IReadOnlyList<bool> visible)
    {
        ArgumentNullException.ThrowIfNull(visible);
        Length = visible.Count;
        var list = new List<int>(visible.Count);
        for (int i = 0; i < visible.Count; i++)
            if (visible[i]) list.Add(i);
        _visible = list.ToArray();
    }

    /// <summary>Frames in the sequence.</summary>
    public int Length { get; }

    /// <summary>Visible frames in the sequence.</summary>
    public int VisibleCount => _visible.Length;

    /// <summary>The visible frame indices, increasing.</summary>
    public IReadOnlyList<int> VisibleFrames => _visible;

    /// <summary>Whether frame <paramref name="frame"/> is visible (false outside 0..Length-1).</summary>
    public bool IsVisible(int frame) => Array.BinarySearch(_visible, frame) >= 0;

    /// <summary>The range [lo, hi) of <see cref="VisibleFrames"/> positions whose frames lie in [min, max).</summary>
    internal (int Lo, int Hi) VisibleRange(int min, int max)
    {
        int lo = LowerBound(min), hi = LowerBound(max);
        return (lo, Math.Max(lo, hi));
    }

    internal int VisibleAt(int position) => _visible[position];

    private int LowerBound(int value)
    {
        int lo = 0, hi = _visible.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_visible[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}

/// <summary>What the samplers need of a dataset: its sequences and, per sequence, which frames show the target.
/// Implementations must be safe to call from several threads.</summary>
public interface ISampleSource
{
    /// <summary>Dataset name (reported in the samples).</summary>
    string Name { get; }

    /// <summary>Number of sequences.</summary>
    int SequenceCount { get; }

    /// <summary>Name of sequence <paramref name="sequence"/>.</summary>
    string SequenceName(int sequence);

    /// <summary>Visibility of every frame of sequence <paramref name="sequence"/> (may read annotations on first use).</summary>
    FrameVisibility Visibility(int sequence);

    /// <summary>False for an image dataset (COCO: one-frame sequences), whose samples repeat frame 0 as every template
    /// and search frame (pytracking's <c>is_video_sequence()</c>). Default true.</summary>
    bool IsVideo => true;
}

/// <summary>An <see cref="ISequenceDataset"/> as a sample source: a frame is visible when
/// <see cref="TrackingSequence.IsVisible"/> says so (valid box, not absent, not fully occluded, cover above 0).
/// Each sequence's annotations are read once, when the sampler first draws it; a malformed annotation surfaces as
/// the reader's <see cref="DatasetFormatException"/> naming the file and line.</summary>
public sealed class DatasetSampleSource : ISampleSource
{
    private readonly ISequenceDataset _dataset;
    private readonly Lazy<FrameVisibility>[] _visibility;

    public DatasetSampleSource(ISequenceDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        _dataset = dataset;
        var sequences = dataset.Sequences;
        _visibility = new Lazy<FrameVisibility>[sequences.Count];
        for (int i = 0; i < sequences.Count; i++)
        {
            var sequence = sequences[i];
            _visibility[i] = new Lazy<FrameVisibility>(() =>
            {
                var flags = new bool[sequence.Length];
                for (int f = 0; f < flags.Length; f++) flags[f] = sequence.IsVisible(f);
                return new FrameVisibility(flags);
            }, LazyThreadSafetyMode.ExecutionAndPublication);
        }
    }

    /// <summary>The dataset read.</summary>
    public ISequenceDataset Dataset => _dataset;

    public string Name => _dataset.Name;

    public int SequenceCount => _visibility.Length;

    public string SequenceName(int sequence) => _dataset.Sequences[sequence].Name;

    public FrameVisibility Visibility(int sequence) => _visibility[sequence].Value;

    /// <summary>False for <see cref="DatasetFormat.Coco"/>, whose sequences are single images.</summary>
    public bool IsVideo => _dataset.Format != DatasetFormat.Coco;
}

/// <summary>A sample source held in memory: one visibility flag list per sequence (for tests and for callers that
/// know visibility without files).</summary>
public sealed class InMemorySampleSource : ISampleSource
{
    private readonly FrameVisibility[] _sequences;
    private readonly string[] _names;

    /// <param name="name">Dataset name.</param>
    /// <param name="visibility">Per sequence, one flag per frame (true = visible).</param>
    /// <param name="sequenceNames">Optional names; default "seq0000", "seq0001", ...</param>
    public InMemorySampleSource(string name, IEnumerable<IReadOnlyList<bool>> visibility, IReadOnlyList<string>? sequenceNames = null)
    {
        Name = name;
        _sequences = visibility.Select(v => new FrameVisibility(v)).ToArray();
        if (sequenceNames is not null && sequenceNames.Count != _sequences.Length)
            throw new ArgumentException($"{sequenceNames.Count} names for {_sequences.Length} sequences", nameof(sequenceNames));
        _names = sequenceNames?.ToArray() ?? Enumerable.Range(0, _sequences.Length).Select(i => $"seq{i:D4}").ToArray();
    }

    public string Name { get; }

    public int SequenceCount => _sequences.Length;

    public string SequenceName(int sequence) => _names[sequence];

    public FrameVisibility Visibility(int sequence) => _sequences[sequence];
}
