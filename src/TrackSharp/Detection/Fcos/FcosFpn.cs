using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Detection.Fcos;

/// <summary>
/// maskrcnn-benchmark's <c>LastLevelP6P7</c> (<c>backbone.fpn.top_blocks</c>): P6 = conv3x3/2 on P5 (or on C5 when
/// its input width differs from the FPN width, i.e. <c>USE_C5</c>), P7 = conv3x3/2 on <c>relu(P6)</c>.
/// </summary>
public sealed class LastLevelP6P7 : Module<Tensor, Tensor, Tensor[]>
{
#pragma warning disable IDE1006
    private readonly Conv2d p6, p7;
#pragma warning restore IDE1006
    private readonly bool _useP5;

    public LastLevelP6P7(int inChannels, int outChannels) : base(nameof(LastLevelP6P7))
    {
        p6 = Conv2d(inChannels, outChannels, 3, stride: 2, padding: 1);
        p7 = Conv2d(outChannels, outChannels, 3, stride: 2, padding: 1);
        _useP5 = inChannels == outChannels;
        RegisterComponents();
    }

    public override Tensor[] forward(Tensor c5, Tensor p5)
    {
        var p6Out = p6.forward(_useP5 ? p5 : c5);
        using var r = functional.relu(p6Out);
        return new[] { p6Out, p7.forward(r) };
    }
}

/// <summary>
/// maskrcnn-benchmark's FPN (<c>backbone.fpn</c>) for FCOS: 1x1 laterals <c>fpn_inner2..4</c> on C3..C5, top-down
/// nearest up-sampling to the lateral's size, 3x3 outputs <c>fpn_layer2..4</c> (P3..P5), then
/// <see cref="LastLevelP6P7"/>. Returns P3..P7.
/// </summary>
public sealed class FcosFpn : Module<Tensor[], Tensor[]>
{
#pragma warning disable IDE1006
    // Declaration order = registration order = the reference's named_parameters order.
    private readonly Conv2d fpn_inner2, fpn_layer2, fpn_inner3, fpn_layer3, fpn_inner4, fpn_layer4;
    private readonly LastLevelP6P7 top_blocks;
#pragma warning restore IDE1006

    /// <summary>FPN over inputs of <paramref name="inChannels"/> (C3, C4, C5) to <paramref name="outChannels"/>;
    /// <paramref name="p6FromC5"/> feeds P6 from C5 (<c>USE_C5</c>).</summary>
    public FcosFpn(IReadOnlyList<int> inChannels, int outChannels, bool p6FromC5) : base(nameof(FcosFpn))
    {
        fpn_inner2 = Conv2d(inChannels[0], outChannels, 1);
        fpn_layer2 = Conv2d(outChannels, outChannels, 3, padding: 1);
        fpn_inner3 = Conv2d(inChannels[1], outChannels, 1);
        fpn_layer3 = Conv2d(outChannels, outChannels, 3, padding: 1);
        fpn_inner4 = Conv2d(inChannels[2], outChannels, 1);
        fpn_layer4 = Conv2d(outChannels, outChannels, 3, padding: 1);
        top_blocks = new LastLevelP6P7(p6FromC5 ? inChannels[2] : outChannels, outChannels);
        RegisterComponents();
    }

    /// <summary>Kaiming-uniform (a = 1) weights and zero biases, as maskrcnn-benchmark's <c>conv_with_kaiming_uniform</c>
    /// and <c>LastLevelP6P7</c> initialise them.</summary>
    public void ResetParameters()
    {
        using var g = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("weight")) init.kaiming_uniform_(p, a: 1);
            else init.zeros_(p);
        }
    }

    /// <param name="c">C2..C5 (C2 is not used by the RETINANET layout) or C3..C5.</param>
    public override Tensor[] forward(Tensor[] c)
    {
        var (c3, c4, c5) = (c[^3], c[^2], c[^1]);
        using var scope = NewDisposeScope();
        var inner5 = fpn_inner4.forward(c5);
        var p5 = fpn_layer4.forward(inner5);
        var inner4 = fpn_inner3.forward(c4) + functional.interpolate(inner5, size: new[] { c4.shape[2], c4.shape[3] }, mode: InterpolationMode.Nearest);
        var p4 = fpn_layer3.forward(inner4);
        var inner3 = fpn_inner2.forward(c3) + functional.interpolate(inner4, size: new[] { c3.shape[2], c3.shape[3] }, mode: InterpolationMode.Nearest);
        var p3 = fpn_layer2.forward(inner3);
        var top = top_blocks.forward(c5, p5);
        var r = new[] { p3, p4, p5, top[0], top[1] };
        foreach (var t in r) t.MoveToOuterDisposeScope();
        return r;
    }
}
