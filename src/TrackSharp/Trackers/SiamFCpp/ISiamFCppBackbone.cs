using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>
/// A SiamFC++ backbone (the task model's <c>basemodel</c>): BGR crops, float32 0..255, NCHW in, feature maps out.
/// Each backbone does its own input normalisation, as the reference's do (AlexNet none, Inception3 to [-1, 1],
/// ShuffleNetV2 ImageNet mean/std, both after a BGR -> RGB swap), so the tracker feeds every one the same crops.
/// </summary>
public interface ISiamFCppBackbone
{
    /// <summary>Channels of the feature map; the neck (<c>head_width</c>) must take exactly this many.</summary>
    int OutputChannels { get; }

    /// <summary>Backbone features of crops [B, 3, H, W].</summary>
    Tensor forward(Tensor crops);
}
