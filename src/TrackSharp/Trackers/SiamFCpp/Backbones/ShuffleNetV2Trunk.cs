using TorchSharp.Modules;
using TrackSharp.Nn;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamFCpp.Backbones;

/// <summary>
/// videoanalyst's <c>ShuffleNetV2</c> network (the <c>_model</c> inside its ShuffleNetV2_x* backbones): ImageNet
/// normalisation of the RGB-swapped input (<c>v / 255</c>, then <c>(v - mean) / std</c>), <c>conv1</c> (3x3/2 pad 1,
/// BN, ReLU), 3x3/2 pad 1 max pool, <c>stage2</c> (stride 2), <c>stage3</c> and <c>stage4</c> (false stride: no
/// downsampling), the three stage outputs concatenated, <c>crop_pad</c> pixels cropped from each edge, then
/// <c>channel_reduce</c> (1x1 without bias, BN, ReLU) to <c>head_width</c> channels. Total stride 8; with
/// crop_pad 4: 127 -> 8x8, 303 -> 30x30. No <c>conv5</c> (the reference comments it out).
/// </summary>
public sealed class ShuffleNetV2Trunk : Module<Tensor, Tensor>
{
    private static readonly double[] Mean = [0.485, 0.456, 0.406];
    private static readonly double[] Std = [0.229, 0.224, 0.225];

#pragma warning disable IDE1006
    private readonly Sequential conv1;
    private readonly StridedMaxPool2d maxpool;
    private readonly Sequential stage2;
    private readonly Sequential stage3;
    private readonly Sequential stage4;
    private readonly Sequential channel_reduce;
#pragma warning restore IDE1006

    public int CropPad { get; }
    public int HeadWidth { get; }

    /// <param name="stageRepeats">Units per stage (the reference: 4, 8, 4).</param>
    /// <param name="stageChannels">conv1, stage2, stage3, stage4 (and the unused conv5) output channels.</param>
    /// <param name="cropPad">Pixels cropped from each edge; at least 1.</param>
    /// <param name="headWidth">Output channels of <c>channel_reduce</c>.</param>
    public ShuffleNetV2Trunk(IReadOnlyList<int> stageRepeats, IReadOnlyList<int> stageChannels, int cropPad, int headWidth)
        : base(nameof(ShuffleNetV2Trunk))
    {
        if (stageRepeats.Count != 3 || stageRepeats.Any(r => r < 1))
            throw new ArgumentException("expected stage repeats as 3 positive ints", nameof(stageRepeats));
        if (stageChannels.Count != 5 || stageChannels.Any(c => c < 1))
            throw new ArgumentException("expected stage output channels as 5 positive ints", nameof(stageChannels));
        if (cropPad < 1) throw new ArgumentOutOfRangeException(nameof(cropPad), cropPad, "ShuffleNetV2 crop_pad must be >= 1");
        if (headWidth < 1) throw new ArgumentOutOfRangeException(nameof(headWidth), headWidth, "head_width must be >= 1");
        CropPad = cropPad;
        HeadWidth = headWidth;
        long input = stageChannels[0];
        conv1 = Sequential(Conv2d(3, input, 3, stride: 2, padding: 1, bias: false), BatchNorm2d(input), ReLU(inplace: true));
        maxpool = new StridedMaxPool2d(3, 2, 1);
        var stages = new Sequential[3];
        for (int s = 0; s < 3; s++)
        {
            long output = stageChannels[s + 1];
            var units = new List<Module<Tensor, Tensor>> { new ShuffleInvertedResidual(input, output, 2, falseStride: s > 0) };
            for (int i = 1; i < stageRepeats[s]; i++) units.Add(new ShuffleInvertedResidual(output, output, 1));
            stages[s] = Sequential(units);
            input = output;
        }
        (stage2, stage3, stage4) = (stages[0], stages[1], stages[2]);
        long fused = stageChannels[1] + stageChannels[2] + stageChannels[3];
        channel_reduce = Sequential(Conv2d(fused, headWidth, 1, bias: false), BatchNorm2d(headWidth), ReLU(inplace: true));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var scaled = x / 255;
        var rgb = cat(new[] { 2L, 1L, 0L }.Select((c, i) => (scaled.select(1, c).unsqueeze(1) - Mean[i]) / Std[i]).ToArray(), 1);
        var y = maxpool.forward(conv1.forward(rgb));
        var s2 = stage2.forward(y);
        var s3 = stage3.forward(s2);
        var s4 = stage4.forward(s3);
        var fused = SiamFCppBackbones.CropEdges(cat(new[] { s2, s3, s4 }, 1), CropPad);
        return channel_reduce.forward(fused).MoveToOuterDisposeScope();
    }
}
