namespace TrackSharp.Imaging;

/// <summary>
/// Order of the three colour channels in a tensor. OpenCV stores BGR; most torchvision-trained networks expect
/// RGB, while the SiamRPN/NanoTrack family was trained on BGR crops straight from OpenCV, so the choice is per
/// model and must be explicit.
/// </summary>
public enum ChannelOrder
{
    /// <summary>Blue, green, red: OpenCV's order, kept as it is.</summary>
    Bgr,

    /// <summary>Red, green, blue: channels swapped on conversion.</summary>
    Rgb,
}
