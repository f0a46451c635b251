using TorchSharp.Modules;
using TrackSharp.Nn.Inference;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// A NanoTrack box-adaptive head: (template features, search features) -> (classification logits
/// [B,2,S,S], box distances l,t,r,b already exp-ed [B,4,S,S]).
/// </summary>
public abstract class BanHead : Module<Tensor, Tensor, (Tensor Cls, Tensor Loc)>
{
    protected BanHead(string name) : base(name) { }

    /// <summary>
    /// An inference-only plan of this head in evaluation mode (BN folded, activations fused, template-only work
    /// moved to <see cref="BanHeadInference.SetTemplate"/>). A snapshot of the current weights; the modules are
    /// not changed.
    /// </summary>
    internal abstract BanHeadInference PrepareForInference();

    /// <summary>The fused convs of a Sequential of convs, BNs and activations.</summary>
    private protected static List<FusedConv2d> Fold(Sequential layers) => FusedConv2d.FoldAll(layers.children());

    /// <summary>Depth-wise conv (padding k/2, no bias) then 1x1 conv (no bias), BN, ReLU6: the v1/v2 tower unit.</summary>
    protected static IEnumerable<Module<Tensor, Tensor>> SeparableUnitWithActivation(int input, int output, int kernel) =>
        new Module<Tensor, Tensor>[]
        {
            Conv2d(input, input, kernel, padding: kernel / 2, groups: input, bias: false),
            Conv2d(input, output, 1, bias: false), BatchNorm2d(output), ReLU6(),
        };

    /// <summary>1x1 conv with bias, wrapped in a Sequential as the reference does (<c>name.0.weight</c>).</summary>
    protected static Sequential Projection(int input, int output) => Sequential(Conv2d(input, output, 1));
}

/// <summary>NanoTrack v1 head: one shared pixel-wise correlation, a 3-unit cls tower and a 4-unit box tower.</summary>
public sealed class BanHeadV1 : BanHead
{
#pragma warning disable IDE1006
    private readonly PixelwiseCorrelationBlock corr_pw;
    private readonly Sequential cls_tower;
    private readonly Sequential bbox_tower;
    private readonly Sequential cls_logits;
    private readonly Sequential bbox_pred;
#pragma warning restore IDE1006

    public BanHeadV1() : base(nameof(BanHeadV1))
    {
        corr_pw = new PixelwiseCorrelationBlock(48, adjustInputs: false, refineOutput: false);
        cls_tower = Sequential(SeparableUnitWithActivation(64, 128, 5)
            .Concat(SeparableUnitWithActivation(128, 128, 5))
            .Concat(SeparableUnitWithActivation(128, 128, 3)).ToArray());
        bbox_tower = Sequential(SeparableUnitWithActivation(64, 96, 3)
            .Concat(SeparableUnitWithActivation(96, 96, 3))
            .Concat(SeparableUnitWithActivation(96, 96, 5))
            .Concat(SeparableUnitWithActivation(96, 96, 5)).ToArray());
        cls_logits = Projection(128, 2);
        bbox_pred = Projection(96, 4);
        RegisterComponents();
    }

    public override (Tensor Cls, Tensor Loc) forward(Tensor template, Tensor search)
    {
        using var scope = NewDisposeScope();
        var corr = corr_pw.forward(template, search);
        var cls = cls_logits.forward(cls_tower.forward(corr));
        var loc = bbox_pred.forward(bbox_tower.forward(corr)).exp_();
        return (cls.MoveToOuterDisposeScope(), loc.MoveToOuterDisposeScope());
    }

    internal override BanHeadInference PrepareForInference() => new BanHeadV1Inference(
        new PixelwiseCorrelationInference(new[] { corr_pw.PrepareForInference() }), Fold(cls_tower), Fold(cls_logits).Single(), Fold(bbox_tower),
        Fold(bbox_pred).Single());
}

/// <summary>NanoTrack v2 head: separate cls/reg pixel-wise correlations with 1x1 adjust, two 6-unit towers.</summary>
public sealed class BanHeadV2 : BanHead
{
#pragma warning disable IDE1006
    private readonly PixelwiseCorrelationBlock corr_pw_reg;
    private readonly PixelwiseCorrelationBlock corr_pw_cls;
    private readonly Sequential cls_pw_tower;
    private readonly Sequential bbox_pw_tower;
    private readonly Sequential cls_pred;
    private readonly Sequential bbox_pred;
#pragma warning restore IDE1006

    public BanHeadV2() : base(nameof(BanHeadV2))
    {
        corr_pw_reg = new PixelwiseCorrelationBlock(48, adjustInputs: true, refineOutput: false);
        corr_pw_cls = new PixelwiseCorrelationBlock(48, adjustInputs: true, refineOutput: false);
        cls_pw_tower = Sequential(Tower().ToArray());
        bbox_pw_tower = Sequential(Tower().ToArray());
        cls_pred = Projection(96, 2);
        bbox_pred = Projection(96, 4);
        RegisterComponents();

        static IEnumerable<Module<Tensor, Tensor>> Tower() => Enumerable.Range(0, 6)
            .SelectMany(i => SeparableUnitWithActivation(i == 0 ? 64 : 96, 96, 3));
    }

    public override (Tensor Cls, Tensor Loc) forward(Tensor template, Tensor search)
    {
        using var scope = NewDisposeScope();
        var cls = cls_pred.forward(cls_pw_tower.forward(corr_pw_cls.forward(template, search)));
        var loc = bbox_pred.forward(bbox_pw_tower.forward(corr_pw_reg.forward(template, search))).exp_();
        return (cls.MoveToOuterDisposeScope(), loc.MoveToOuterDisposeScope());
    }

    internal override BanHeadInference PrepareForInference() => new BanHeadV2Inference(
        new PixelwiseCorrelationInference(new[] { corr_pw_cls.PrepareForInference(), corr_pw_reg.PrepareForInference() }),
        new ParallelTowers(new (IReadOnlyList<FusedConv2d>, FusedConv2d)[]
        {
            (Fold(cls_pw_tower), Fold(cls_pred).Single()), (Fold(bbox_pw_tower), Fold(bbox_pred).Single()),
        }));
}

/// <summary>
/// NanoTrack v3 head: per branch a pixel-wise correlation (full 8x8 template, refined to 15x15) and a padded
/// depth-wise correlation (template centre 4x4), concatenated pixel-wise first (64 + 96 channels), reduced
/// to 96 by <c>down_*</c>, then 6-unit towers of [dw 3x3, BN, ReLU6, pw, BN].
/// </summary>
public sealed class BanHeadV3 : BanHead
{
    private const int Channels = 96;

#pragma warning disable IDE1006
    private readonly DepthwiseCorrelationBlock corr_dw_reg;
    private readonly PixelwiseCorrelationBlock corr_pw_reg;
    private readonly DepthwiseCorrelationBlock corr_dw_cls;
    private readonly PixelwiseCorrelationBlock corr_pw_cls;
    private readonly Sequential cls_tower;
    private readonly Sequential bbox_tower;
    private readonly Sequential cls_logits;
    private readonly Sequential bbox_pred;
    private readonly Sequential down_reg;
    private readonly Sequential down_cls;
#pragma warning restore IDE1006

    public BanHeadV3() : base(nameof(BanHeadV3))
    {
        corr_dw_reg = new DepthwiseCorrelationBlock(Channels);
        corr_pw_reg = new PixelwiseCorrelationBlock(Channels, adjustInputs: true, refineOutput: true);
        corr_dw_cls = new DepthwiseCorrelationBlock(Channels);
        corr_pw_cls = new PixelwiseCorrelationBlock(Channels, adjustInputs: true, refineOutput: true);
        cls_tower = Sequential(Tower().ToArray());
        bbox_tower = Sequential(Tower().ToArray());
        cls_logits = Projection(Channels, 2);
        bbox_pred = Projection(Channels, 4);
        down_reg = Projection(Channels + 64, Channels);
        down_cls = Projection(Channels + 64, Channels);
        RegisterComponents();

        static IEnumerable<Module<Tensor, Tensor>> Tower() => Enumerable.Range(0, 6).SelectMany(_ =>
            new Module<Tensor, Tensor>[]
            {
                Conv2d(Channels, Channels, 3, padding: 1, groups: Channels, bias: false), BatchNorm2d(Channels),
                ReLU6(), Conv2d(Channels, Channels, 1, bias: false), BatchNorm2d(Channels),
            });
    }

    public override (Tensor Cls, Tensor Loc) forward(Tensor template, Tensor search)
    {
        using var scope = NewDisposeScope();
        // The depth-wise branch sees only the centre 4x4 of the 8x8 template map.
        var centre = template.shape[3] > 4 ? template.narrow(2, 2, 4).narrow(3, 2, 4) : template;
        var reg = down_reg.forward(cat(new[]
            { corr_pw_reg.forward(template, search), corr_dw_reg.forward(centre, search) }, 1));
        var cls = down_cls.forward(cat(new[]
            { corr_pw_cls.forward(template, search), corr_dw_cls.forward(centre, search) }, 1));
        var logits = cls_logits.forward(cls_tower.forward(cls));
        var loc = bbox_pred.forward(bbox_tower.forward(reg)).exp_();
        return (logits.MoveToOuterDisposeScope(), loc.MoveToOuterDisposeScope());
    }

    internal override BanHeadInference PrepareForInference()
    {
        using var downCls = Fold(down_cls).Single();
        using var downReg = Fold(down_reg).Single();
        // down_* read cat(pixel-wise 64, depth-wise 96): one weight slice per part.
        return new BanHeadV3Inference(
            new PixelwiseCorrelationInference(new[] { corr_pw_cls.PrepareForInference(), corr_pw_reg.PrepareForInference() }),
            new DepthwiseCorrelationInference(new[] { corr_dw_cls.PrepareForInference(), corr_dw_reg.PrepareForInference() }),
            new RowProjection(downCls, 64, Channels), new RowProjection(downReg, 64, Channels),
            new ParallelTowers(new (IReadOnlyList<FusedConv2d>, FusedConv2d)[]
            {
                (Fold(cls_tower), Fold(cls_logits).Single()), (Fold(bbox_tower), Fold(bbox_pred).Single()),
            }));
    }
}
