using TrackSharp.Nn;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamFCpp.Backbones;

/// <summary>
/// Inception3's <c>InceptionB</c> block (Mixed_6a), the stride-2 reduction: 3x3/2 (384), 1x1 -> 3x3 -> 3x3/2
/// (64 -> 96 -> 96) and 3x3/2 max pool (no padding, floor), concatenated: 480 + input channels.
/// </summary>
public sealed class InceptionB : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly InceptionConv branch3x3;
    private readonly InceptionConv branch3x3dbl_1;
    private readonly InceptionConv branch3x3dbl_2;
    private readonly InceptionConv branch3x3dbl_3;
#pragma warning restore IDE1006

    /// <summary>The 3x3/2 max pool (stateless, shared).</summary>
    private static readonly StridedMaxPool2d Pool = new(3, 2);

    public long OutputChannels { get; }

    public InceptionB(long input) : base(nameof(InceptionB))
    {
        branch3x3 = new InceptionConv(input, 384, 3, stride: 2);
        branch3x3dbl_1 = new InceptionConv(input, 64, 1);
        branch3x3dbl_2 = new InceptionConv(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new InceptionConv(96, 96, 3, stride: 2);
        OutputChannels = 384 + 96 + input;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var a = branch3x3.forward(x);
        var b = branch3x3dbl_3.forward(branch3x3dbl_2.forward(branch3x3dbl_1.forward(x)));
        var c = Pool.forward(x);
        return cat(new[] { a, b, c }, 1).MoveToOuterDisposeScope();
    }
}
