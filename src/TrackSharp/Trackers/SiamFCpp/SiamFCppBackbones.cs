using TrackSharp.Trackers.SiamFCpp.Backbones;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>
/// The SiamFC++ backbones by their videoanalyst config name (<c>model.backbone.name</c>): <c>AlexNet</c>,
/// <c>Inception3</c> (GoogLeNet), <c>ShuffleNetV2_x1_0</c>, <c>ShuffleNetV2_x0_5</c>.
/// </summary>
public static class SiamFCppBackbones
{
    public const string AlexNet = "AlexNet";
    public const string Inception3 = "Inception3";
    public const string ShuffleNetV2X1_0 = "ShuffleNetV2_x1_0";
    public const string ShuffleNetV2X0_5 = "ShuffleNetV2_x0_5";

    /// <summary>Every supported name, as videoanalyst spells it.</summary>
    public static IReadOnlyList<string> Names { get; } = [AlexNet, Inception3, ShuffleNetV2X1_0, ShuffleNetV2X0_5];

    /// <summary>
    /// Builds the backbone <paramref name="config"/> names (<see cref="SiamFCppModelConfig.BackboneName"/>);
    /// throws <see cref="ArgumentException"/> naming the known names for any other.
    /// </summary>
    public static Module<Tensor, Tensor> Create(SiamFCppModelConfig config) => config.BackboneName switch
    {
        AlexNet => new SiamFCppAlexNet(config.BackboneWidths),
        Inception3 => new SiamFCppInception3(config.CropPad),
        ShuffleNetV2X1_0 => new SiamFCppShuffleNetV2(ShuffleNetV2Width.X1_0, config.CropPad, config.BackboneHeadWidth),
        ShuffleNetV2X0_5 => new SiamFCppShuffleNetV2(ShuffleNetV2Width.X0_5, config.CropPad, config.BackboneHeadWidth),
        var other => throw new ArgumentException(
            $"unknown SiamFC++ backbone '{other}' (known: {string.Join(", ", Names)})"),
    };

    /// <summary>The reference's <c>x[:, :, p:-p, p:-p]</c>: <paramref name="pad"/> pixels off every edge (a view).</summary>
    public static Tensor CropEdges(Tensor x, int pad)
    {
        long h = x.shape[2], w = x.shape[3];
        if (h <= 2 * pad || w <= 2 * pad)
            throw new ArgumentException($"a {h}x{w} feature map is too small to crop {pad} pixels from each edge");
        using var rows = x.narrow(2, pad, h - 2 * pad);
        return rows.narrow(3, pad, w - 2 * pad);
    }
}
