using TrackSharp.Data.Loading;
using static TorchSharp.torch;

namespace TrackSharp.Data.Processing;

/// <summary>
/// One sample of <see cref="KlDimpProcessing"/> (pytracking's <c>KLDiMPProcessing</c> output for one sequence), frames
/// first: images (frames, 3, S, S) normalised RGB; boxes xywh in crop pixels (frames, 4); the transformer's train mask
/// (train frames, F, F), the LBHinge test label and both label densities (frames, F + 1, F + 1) for an even filter;
/// the test proposals (test frames, N, 4) with their proposal and ground-truth densities (test frames, N). F is the
/// feature size <c>S / 16</c>. A loader stacks samples to (batch, frames, ...); ltr stacks along dimension 1 instead.
/// The sample owns its tensors.
/// </summary>
public sealed class KlDimpSample : ITensorSample
{
    public const string TrainImagesKey = "train_images";
    public const string TestImagesKey = "test_images";
    public const string TrainAnnoKey = "train_anno";
    public const string TestAnnoKey = "test_anno";
    public const string TrainLabelKey = "train_label";
    public const string TestLabelKey = "test_label";
    public const string TrainLabelDensityKey = "train_label_density";
    public const string TestLabelDensityKey = "test_label_density";
    public const string TestProposalsKey = "test_proposals";
    public const string ProposalDensityKey = "proposal_density";
    public const string GtDensityKey = "gt_density";

    private readonly Dictionary<string, Tensor> _tensors;

    internal KlDimpSample(Dictionary<string, Tensor> tensors, KlDimpDraws draws)
    {
        _tensors = tensors;
        Draws = draws;
    }

    /// <summary>The augmentation decisions this sample was made with.</summary>
    public KlDimpDraws Draws { get; }

    public Tensor this[string key] => _tensors[key];

    public IEnumerable<KeyValuePair<string, Tensor>> NamedTensors => _tensors;

    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
    }
}

/// <summary>What <see cref="KlDimpProcessing"/> drew for one sample: the joint grayscale and flip (shared by every frame)
/// and, per frame (train frames first, then test frames), the brightness factor and the crop flip.</summary>
public sealed record KlDimpDraws(bool Grayscale, bool JointFlip, IReadOnlyList<double> Brightness, IReadOnlyList<bool> FrameFlips);
