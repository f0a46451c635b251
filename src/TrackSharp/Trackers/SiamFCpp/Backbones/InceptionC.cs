using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamFCpp.Backbones;

/// <summary>
/// Inception3's <c>InceptionC</c> block (Mixed_6b..6e) with factorised 7x7 convolutions: 1x1 (192);
/// 1x1 -> 1x7 -> 7x1 (c7, c7, 192); 1x1 -> 7x1 -> 1x7 -> 7x1 -> 1x7 (c7, c7, c7, c7, 192); 3x3 average pool
/// (stride 1, pad 1, padding counted) -> 1x1 (192). Always 768 channels out, same spatial size.
/// </summary>
public sealed class InceptionC : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly InceptionConv branch1x1;
    private readonly InceptionConv branch7x7_1;
    private readonly InceptionConv branch7x7_2;
    private readonly InceptionConv branch7x7_3;
    private readonly InceptionConv branch7x7dbl_1;
    private readonly InceptionConv branch7x7dbl_2;
    private readonly InceptionConv branch7x7dbl_3;
    private readonly InceptionConv branch7x7dbl_4;
    private readonly InceptionConv branch7x7dbl_5;
    private readonly InceptionConv branch_pool;
#pragma warning restore IDE1006

    public const long OutputChannels = 768;

    public InceptionC(long input, long channels7x7) : base(nameof(InceptionC))
    {
        long c7 = channels7x7;
        (long, long) row = (1, 7), column = (7, 1), padRow = (0, 3), padColumn = (3, 0);
        branch1x1 = new InceptionConv(input, 192, 1);
        branch7x7_1 = new InceptionConv(input, c7, 1);
        branch7x7_2 = new InceptionConv(c7, c7, row, padding: padRow);
        branch7x7_3 = new InceptionConv(c7, 192, column, padding: padColumn);
        branch7x7dbl_1 = new InceptionConv(input, c7, 1);
        branch7x7dbl_2 = new InceptionConv(c7, c7, column, padding: padColumn);
        branch7x7dbl_3 = new InceptionConv(c7, c7, row, padding: padRow);
        branch7x7dbl_4 = new InceptionConv(c7, c7, column, padding: padColumn);
        branch7x7dbl_5 = new InceptionConv(c7, 192, row, padding: padRow);
        branch_pool = new InceptionConv(input, 192, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var a = branch1x1.forward(x);
        var b = branch7x7_3.forward(branch7x7_2.forward(branch7x7_1.forward(x)));
        var c = branch7x7dbl_1.forward(x);
        c = branch7x7dbl_5.forward(branch7x7dbl_4.forward(branch7x7dbl_3.forward(branch7x7dbl_2.forward(c))));
        var d = branch_pool.forward(functional.avg_pool2d(x, 3, stride: 1, padding: 1));
        return cat(new[] { a, b, c, d }, 1).MoveToOuterDisposeScope();
    }
}
