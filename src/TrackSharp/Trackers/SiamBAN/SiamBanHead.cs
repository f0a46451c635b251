using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamBAN;

/// <summary>SiamBAN's depth-wise cross-correlation (<c>core/xcorr.py xcorr_depthwise</c>), no padding.</summary>
public static class SiamBanCorrelation
{
    /// <summary>
    /// Each channel of <paramref name="search"/> (B,C,H,W) correlated with the same channel of
    /// <paramref name="kernel"/> (B,C,h,w): (B,C,H-h+1,W-w+1). The batch goes through one grouped conv.
    /// </summary>
    public static Tensor Depthwise(Tensor search, Tensor kernel)
    {
        long b = kernel.shape[0], c = kernel.shape[1];
        using var x = search.reshape(1, b * c, search.shape[2], search.shape[3]);
        using var k = kernel.reshape(b * c, 1, kernel.shape[2], kernel.shape[3]);
        using var output = functional.conv2d(x, k, groups: b * c);
        return output.view(b, c, output.shape[2], output.shape[3]);
    }
}

/// <summary>
/// The reference <c>DepthwiseXCorr</c> (<c>head/ban.py</c>): <c>conv_kernel</c> / <c>conv_search</c> = 3x3 conv
/// (no padding, no bias) + BN + ReLU, depth-wise correlation, <c>head</c> = 1x1 conv (no bias), BN, ReLU,
/// 1x1 conv (bias). Template 7x7 -> 5x5, search 31x31 -> 29x29, output 25x25.
/// </summary>
public sealed class DepthwiseXCorr : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Sequential conv_kernel;
    private readonly Sequential conv_search;
    private readonly Sequential head;
#pragma warning restore IDE1006

    public DepthwiseXCorr(int inChannels, int hidden, int outChannels, int kernelSize = 3) : base(nameof(DepthwiseXCorr))
    {
        conv_kernel = Sequential(Conv2d(inChannels, hidden, kernelSize, bias: false), BatchNorm2d(hidden), ReLU());
        conv_search = Sequential(Conv2d(inChannels, hidden, kernelSize, bias: false), BatchNorm2d(hidden), ReLU());
        head = Sequential(Conv2d(hidden, hidden, 1, bias: false), BatchNorm2d(hidden), ReLU(), Conv2d(hidden, outChannels, 1));
        RegisterComponents();
    }

    /// <summary>(template features, search features) -> head output.</summary>
    public override Tensor forward(Tensor kernel, Tensor search)
    {
        using var scope = NewDisposeScope();
        var k = conv_kernel.forward(kernel);
        var s = conv_search.forward(search);
        return head.forward(SiamBanCorrelation.Depthwise(s, k)).MoveToOuterDisposeScope();
    }
}

/// <summary>The reference <c>DepthwiseBAN</c>: a <c>cls</c> and a <c>loc</c> <see cref="DepthwiseXCorr"/>.
/// Returns cls logits (B,cls_out,S,S) and the raw loc (B,4,S,S) before any exp.</summary>
public sealed class DepthwiseBan : Module<Tensor, Tensor, (Tensor Cls, Tensor Loc)>
{
#pragma warning disable IDE1006
    private readonly DepthwiseXCorr cls;
    private readonly DepthwiseXCorr loc;
#pragma warning restore IDE1006

    public DepthwiseBan(int inChannels, int outChannels, int clsOutChannels) : base(nameof(DepthwiseBan))
    {
        cls = new DepthwiseXCorr(inChannels, outChannels, clsOutChannels);
        loc = new DepthwiseXCorr(inChannels, outChannels, 4);
        RegisterComponents();
    }

    public override (Tensor Cls, Tensor Loc) forward(Tensor z, Tensor x) => (cls.forward(z, x), loc.forward(z, x));
}

/// <summary>Per-level outputs of <see cref="MultiBan.ForwardLevels"/>: cls logits and loc before exp.</summary>
public sealed record SiamBanLevelOutput(Tensor Cls, Tensor LocRaw) : IDisposable
{
    public void Dispose()
    {
        Cls.Dispose();
        LocRaw.Dispose();
    }
}

/// <summary>
/// The reference <c>MultiBAN</c>: one <see cref="DepthwiseBan"/> per level (<c>box2</c>, <c>box3</c>, ...),
/// <c>loc_i = exp(l_i * loc_scale[i])</c> per level, then cls (logits) and loc averaged over the levels in
/// order, weighted by <c>softmax(cls_weight)</c> / <c>softmax(loc_weight)</c> when <c>weighted</c>, plainly
/// otherwise.
/// </summary>
public sealed class MultiBan : Module<Tensor[], Tensor[], (Tensor Cls, Tensor Loc)>
{
#pragma warning disable IDE1006
    private readonly Parameter? cls_weight;
    private readonly Parameter? loc_weight;
    private readonly Parameter loc_scale;
#pragma warning restore IDE1006
    private readonly DepthwiseBan[] _boxes;

    public bool Weighted { get; }
    public int Levels => _boxes.Length;

    public MultiBan(IReadOnlyList<int> inChannels, int clsOutChannels, bool weighted) : base(nameof(MultiBan))
    {
        if (inChannels.Count == 0) throw new ArgumentException("MultiBAN needs at least one level");
        Weighted = weighted;
        _boxes = inChannels.Select(c => new DepthwiseBan(c, c, clsOutChannels)).ToArray();
        for (int i = 0; i < _boxes.Length; i++) register_module($"box{i + 2}", _boxes[i]);
        if (weighted)
        {
            cls_weight = Parameter(ones(inChannels.Count));
            loc_weight = Parameter(ones(inChannels.Count));
        }
        loc_scale = Parameter(ones(inChannels.Count));
        RegisterComponents();
    }

    /// <summary>The per-level head outputs (cls logits, loc before exp); caller owns them.</summary>
    public SiamBanLevelOutput[] ForwardLevels(Tensor[] z, Tensor[] x)
    {
        if (z.Length != _boxes.Length || x.Length != _boxes.Length)
            throw new ArgumentException($"MultiBAN expects {_boxes.Length} template and search maps, got {z.Length} and {x.Length}");
        return _boxes.Select((box, i) =>
        {
            var (c, l) = box.forward(z[i], x[i]);
            return new SiamBanLevelOutput(c, l);
        }).ToArray();
    }

    /// <summary>The fusion weights of cls and loc (softmax of the learnt weights, or 1/levels each); caller owns them.</summary>
    public (Tensor Cls, Tensor Loc) FusionWeights() => Weighted
        ? (functional.softmax(cls_weight!, 0), functional.softmax(loc_weight!, 0))
        : (full(_boxes.Length, 1.0 / _boxes.Length, device: loc_scale.device), full(_boxes.Length, 1.0 / _boxes.Length, device: loc_scale.device));

    /// <summary>Fuses per-level outputs as the reference does (loc exp'ed with its scale first).</summary>
    public (Tensor Cls, Tensor Loc) Fuse(IReadOnlyList<SiamBanLevelOutput> levels)
    {
        using var scope = NewDisposeScope();
        Tensor? cls = null, loc = null;
        if (Weighted)
        {
            var (cw, lw) = FusionWeights();
            for (int i = 0; i < levels.Count; i++)
            {
                var li = levels[i].LocRaw.mul(loc_scale[i]).exp();
                var ci = levels[i].Cls.mul(cw[i]);
                li = li.mul(lw[i]);
                cls = cls is null ? ci : cls.add(ci);
                loc = loc is null ? li : loc.add(li);
            }
        }
        else
        {
            // sum(list) / len(list), as the reference's avg().
            for (int i = 0; i < levels.Count; i++)
            {
                var li = levels[i].LocRaw.mul(loc_scale[i]).exp();
                cls = cls is null ? levels[i].Cls.alias() : cls.add(levels[i].Cls);
                loc = loc is null ? li : loc.add(li);
            }
            cls = cls!.div(levels.Count);
            loc = loc!.div(levels.Count);
        }
        return (cls!.MoveToOuterDisposeScope(), loc!.MoveToOuterDisposeScope());
    }

    /// <summary>Fused (cls logits, loc distances already exp'ed); caller owns them.</summary>
    public override (Tensor Cls, Tensor Loc) forward(Tensor[] z, Tensor[] x)
    {
        var levels = ForwardLevels(z, x);
        try
        {
            return Fuse(levels);
        }
        finally
        {
            foreach (var level in levels) level.Dispose();
        }
    }
}
