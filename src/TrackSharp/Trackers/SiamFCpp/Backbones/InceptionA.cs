using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamFCpp.Backbones;

/// <summary>
/// Inception3's <c>InceptionA</c> block (Mixed_5b/5c/5d): 1x1 (64), 1x1 -> 5x5 (48 -> 64), 1x1 -> 3x3 -> 3x3
/// (64 -> 96 -> 96) and 3x3 average pool (stride 1, pad 1, padding counted) -> 1x1 (<c>pool_features</c>),
/// concatenated in that order: 224 + pool_features channels, same spatial size.
/// </summary>
public sealed class InceptionA : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly InceptionConv branch1x1;
    private readonly InceptionConv branch5x5_1;
    private readonly InceptionConv branch5x5_2;
    private readonly InceptionConv branch3x3dbl_1;
    private readonly InceptionConv branch3x3dbl_2;
    private readonly InceptionConv branch3x3dbl_3;
    private readonly InceptionConv branch_pool;
#pragma warning restore IDE1006

    public long OutputChannels { get; }

    public InceptionA(long input, long poolFeatures) : base(nameof(InceptionA))
    {
        branch1x1 = new InceptionConv(input, 64, 1);
        branch5x5_1 = new InceptionConv(input, 48, 1);
        branch5x5_2 = new InceptionConv(48, 64, 5, padding: 2);
        branch3x3dbl_1 = new InceptionConv(input, 64, 1);
        branch3x3dbl_2 = new InceptionConv(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new InceptionConv(96, 96, 3, padding: 1);
        branch_pool = new InceptionConv(input, poolFeatures, 1);
        OutputChannels = 64 + 64 + 96 + poolFeatures;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var a = branch1x1.forward(x);
        var b = branch5x5_2.forward(branch5x5_1.forward(x));
        var c = branch3x3dbl_3.forward(branch3x3dbl_2.forward(branch3x3dbl_1.forward(x)));
        var d = branch_pool.forward(functional.avg_pool2d(x, 3, stride: 1, padding: 1));
        return cat(new[] { a, b, c, d }, 1).MoveToOuterDisposeScope();
    }
}
