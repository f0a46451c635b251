using static TorchSharp.torch;

namespace TrackSharp.Nn.Inference;

/// <summary>The element-wise activations that follow a convolution in the inference plans.</summary>
internal enum Activation
{
    None,
    ReLU,
    ReLU6,
    Hardswish,
}

internal static class ActivationExtensions
{
    /// <summary>Applies the activation in place (the plans own every intermediate tensor) and returns <paramref name="x"/>.</summary>
    public static Tensor ApplyInPlace(this Activation activation, Tensor x) => activation switch
    {
        Activation.None => x,
        Activation.ReLU => x.relu_(),
        Activation.ReLU6 => x.hardtanh_(0, 6),
        Activation.Hardswish => x.hardswish_(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };
}
