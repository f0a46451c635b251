using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamFCpp.Backbones;

/// <summary>The two ShuffleNetV2 widths videoanalyst's SiamFC++ experiments use.</summary>
public enum ShuffleNetV2Width
{
    /// <summary><c>ShuffleNetV2_x0_5</c>: stage channels 24, 48, 96, 192 (1024).</summary>
    X0_5,

    /// <summary><c>ShuffleNetV2_x1_0</c>: stage channels 24, 116, 232, 464 (1024).</summary>
    X1_0,
}

/// <summary>
/// videoanalyst's <c>ShuffleNetV2_x1_0</c> / <c>ShuffleNetV2_x0_5</c> backbones
/// (<c>model/backbone/backbone_impl/shufflenet_v2.py</c>): a wrapper whose only child is the network
/// <c>_model</c> (<see cref="ShuffleNetV2Trunk"/>), so checkpoint keys read <c>basemodel._model.stage2.0.branch1.0.weight</c>.
/// Stage repeats 4, 8, 4; config keys <c>crop_pad</c> (4) and <c>head_width</c> (256, the output channels).
/// </summary>
public sealed class SiamFCppShuffleNetV2 : Module<Tensor, Tensor>, ISiamFCppBackbone
{
    private static readonly int[] Repeats = [4, 8, 4];

#pragma warning disable IDE1006
    private readonly ShuffleNetV2Trunk _model;
#pragma warning restore IDE1006

    public ShuffleNetV2Width Width { get; }
    public int OutputChannels => _model.HeadWidth;

    public SiamFCppShuffleNetV2(ShuffleNetV2Width width, int cropPad = 4, int headWidth = 256)
        : base(nameof(SiamFCppShuffleNetV2))
    {
        Width = width;
        _model = new ShuffleNetV2Trunk(Repeats, StageChannels(width), cropPad, headWidth);
        RegisterComponents();
    }

    /// <summary>Output channels of conv1, stage2, stage3, stage4 and the (unused) conv5.</summary>
    public static IReadOnlyList<int> StageChannels(ShuffleNetV2Width width) => width switch
    {
        ShuffleNetV2Width.X0_5 => [24, 48, 96, 192, 1024],
        ShuffleNetV2Width.X1_0 => [24, 116, 232, 464, 1024],
        _ => throw new ArgumentOutOfRangeException(nameof(width), width, null),
    };

    public override Tensor forward(Tensor x) => _model.forward(x);
}
