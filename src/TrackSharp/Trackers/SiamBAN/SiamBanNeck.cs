using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamBAN;

/// <summary>
/// The reference <c>AdjustLayer</c> (<c>neck/neck.py</c>): <c>downsample</c> = 1x1 conv (no bias) + BN; a map narrower
/// than 20 (the template, 15x15) is then cropped to its centre 7x7 (<c>[4:11, 4:11]</c>); the search map is not cropped.
/// </summary>
public sealed class AdjustLayer : Module<Tensor, Tensor>
{
    /// <summary>Maps narrower than this are centre-cropped.</summary>
    public const int CropBelowWidth = 20;
    /// <summary>First row/column kept by the crop.</summary>
    public const int CropStart = 4;
    /// <summary>Side of the cropped map.</summary>
    public const int CropSize = 7;

#pragma warning disable IDE1006
    private readonly Sequential downsample;
#pragma warning restore IDE1006

    public AdjustLayer(int inChannels, int outChannels) : base(nameof(AdjustLayer))
    {
        downsample = Sequential(Conv2d(inChannels, outChannels, 1, bias: false), BatchNorm2d(outChannels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = downsample.forward(x);
        if (y.shape[3] >= CropBelowWidth) return y;
        using (y)
            return y.narrow(2, CropStart, CropSize).narrow(3, CropStart, CropSize).contiguous();
    }
}

/// <summary>
/// The reference <c>AdjustAllLayer</c>: one <see cref="AdjustLayer"/> per feature level, registered as
/// <c>downsample2</c>, <c>downsample3</c>, ... (or as <c>downsample</c> when there is a single level).
/// </summary>
public sealed class AdjustAllLayer : Module<Tensor[], Tensor[]>
{
    private readonly AdjustLayer[] _levels;

    public AdjustAllLayer(IReadOnlyList<int> inChannels, IReadOnlyList<int> outChannels) : base(nameof(AdjustAllLayer))
    {
        if (inChannels.Count != outChannels.Count || inChannels.Count == 0)
            throw new ArgumentException(
                $"AdjustAllLayer: in_channels [{string.Join(", ", inChannels)}] and out_channels [{string.Join(", ", outChannels)}] must be non-empty and of equal length");
        _levels = inChannels.Select((c, i) => new AdjustLayer(c, outChannels[i])).ToArray();
        if (_levels.Length == 1) register_module("downsample", _levels[0]);
        else for (int i = 0; i < _levels.Length; i++) register_module($"downsample{i + 2}", _levels[i]);
    }

    /// <summary>Number of feature levels.</summary>
    public int Levels => _levels.Length;

    /// <summary>One adjusted map per input level (caller owns them).</summary>
    public override Tensor[] forward(Tensor[] features)
    {
        if (features.Length != _levels.Length)
            throw new ArgumentException($"AdjustAllLayer expects {_levels.Length} feature maps, got {features.Length}");
        return features.Select((f, i) => _levels[i].forward(f)).ToArray();
    }
}
