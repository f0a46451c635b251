using TrackSharp.Nn.Backbones;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// The NanoTrack network prepared for tracking on CPU (from <see cref="NanoTrackModel.PrepareForInference"/>):
/// every BatchNorm folded into its conv, activations fused and in place, the channels-last layout throughout,
/// and the head's template-only work (template adjust convs, correlation kernels) done once per template.
/// Outputs equal the modules' outputs to float32 rounding.
/// <para>
/// It holds a snapshot of the model's weights; prepare again after changing them. Batch 1, no autograd (call
/// it under <c>no_grad</c>). Returned tensors are new, channels-last, owned by the caller.
/// </para>
/// </summary>
public sealed class NanoTrackInference : IDisposable
{
    private readonly MobileNetV3SmallInference _backbone;
    private readonly BanHeadInference _head;

    internal NanoTrackInference(MobileNetV3SmallInference backbone, BanHeadInference head)
    {
        _backbone = backbone;
        _head = head;
    }

    /// <summary>Backbone features of a 1x3xHxW crop (127 -> 8x8, 255 -> 16x16); a channels-last input is used without a copy.</summary>
    public Tensor Embed(Tensor crop) => _backbone.Forward(crop);

    /// <summary>Sets the template features (from <see cref="Embed"/>) that every following <see cref="Head"/> uses.</summary>
    public void SetTemplate(Tensor templateFeatures) => _head.SetTemplate(templateFeatures);

    /// <summary>Head outputs (logits [1,2,S,S], exp-ed distances [1,4,S,S]) for search features.</summary>
    public (Tensor Cls, Tensor Loc) Head(Tensor searchFeatures) => _head.Forward(searchFeatures);

    public void Dispose()
    {
        _backbone.Dispose();
        _head.Dispose();
    }
}
