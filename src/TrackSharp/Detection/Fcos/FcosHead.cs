using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Detection.Fcos;

/// <summary>maskrcnn-benchmark's <c>Scale</c>: one learnable scalar (<c>scale</c>) multiplying a level's regression.</summary>
public sealed class FcosScale : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Parameter scale;
#pragma warning restore IDE1006

    public FcosScale(float init = 1f) : base(nameof(FcosScale))
    {
        scale = new Parameter(tensor(new[] { init }));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x * scale;
}

/// <summary>Per-level outputs of <see cref="FcosHead"/> (P3 first), each (N, C, H_l, W_l).</summary>
public sealed record FcosHeadOutput(Tensor[] BoxCls, Tensor[] BoxRegression, Tensor[] Centerness) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in BoxCls.Concat(BoxRegression).Concat(Centerness)) t.Dispose();
    }
}

/// <summary>
/// The FCOS head (<c>rpn.head</c>, <c>FCOSHead</c>): two towers shared by all levels, each <c>NUM_CONVS</c> x
/// (conv3x3 + GroupNorm(32) + ReLU) (Sequential indices 0,1,2 / 3,4,5 ...), <c>cls_logits</c> on the cls tower,
/// <c>bbox_pred</c> on the bbox tower scaled per level (<c>scales.l</c>), <c>centerness</c> on the bbox tower with
/// <c>CENTERNESS_ON_REG</c> else on the cls tower. Regression: <c>relu(scale * x)</c> with
/// <c>NORM_REG_TARGETS</c> (times the stride in eval, i.e. in pixels), else <c>exp(scale * x)</c>.
/// </summary>
public sealed class FcosHead : Module<Tensor[], FcosHeadOutput>
{
#pragma warning disable IDE1006
    private readonly Sequential cls_tower, bbox_tower;
    private readonly Conv2d cls_logits, bbox_pred, centerness;
    private readonly ModuleList<FcosScale> scales;
#pragma warning restore IDE1006
    private readonly FcosModelOptions _o;

    public FcosHead(FcosModelOptions o, int inChannels) : base(nameof(FcosHead))
    {
        _o = o;
        cls_tower = Tower(inChannels, o.NumConvs);
        bbox_tower = Tower(inChannels, o.NumConvs);
        cls_logits = Conv2d(inChannels, o.NumClasses, 3, padding: 1);
        bbox_pred = Conv2d(inChannels, 4, 3, padding: 1);
        centerness = Conv2d(inChannels, 1, 3, padding: 1);
        scales = new ModuleList<FcosScale>(Enumerable.Range(0, o.FpnStrides.Count).Select(_ => new FcosScale()).ToArray());
        RegisterComponents();
    }

    private static Sequential Tower(int channels, int convs)
    {
        var mods = new List<Module<Tensor, Tensor>>();
        for (int i = 0; i < convs; i++)
        {
            mods.Add(Conv2d(channels, channels, 3, padding: 1));
            mods.Add(GroupNorm(32, channels, eps: 1e-5));
            mods.Add(ReLU());
        }
        return Sequential(mods.ToArray());
    }

    /// <summary>The reference initialisation: conv weights N(0, 0.01²), biases 0, GroupNorm (1, 0), scales 1,
    /// <c>cls_logits.bias = -log((1 - p) / p)</c> with <c>PRIOR_PROB</c> p.</summary>
    public void ResetParameters()
    {
        using var g = no_grad();
        foreach (var m in new Module[] { cls_tower, bbox_tower, cls_logits, bbox_pred, centerness })
            foreach (var (name, p) in m.named_parameters())
            {
                bool isConvWeight = name.EndsWith("weight") && p.dim() == 4;
                if (isConvWeight) init.normal_(p, 0, 0.01);
                else if (name.EndsWith("weight")) init.ones_(p);
                else init.zeros_(p);
            }
        cls_logits.bias!.fill_(-Math.Log((1 - _o.PriorProb) / _o.PriorProb));
        foreach (var s in scales) foreach (var p in s.parameters()) p.fill_(1f);
    }

    public override FcosHeadOutput forward(Tensor[] features)
    {
        int n = features.Length;
        var cls = new Tensor[n]; var reg = new Tensor[n]; var ctr = new Tensor[n];
        for (int l = 0; l < n; l++)
        {
            using var scope = NewDisposeScope();
            var ct = cls_tower.forward(features[l]);
            var bt = bbox_tower.forward(features[l]);
            cls[l] = cls_logits.forward(ct);
            ctr[l] = centerness.forward(_o.CenternessOnReg ? bt : ct);
            var b = scales[l].forward(bbox_pred.forward(bt));
            if (_o.NormRegTargets)
            {
                b = functional.relu(b);
                if (!training) b = b * _o.FpnStrides[l];
            }
            else b = b.exp();
            reg[l] = b;
            cls[l].MoveToOuterDisposeScope(); ctr[l].MoveToOuterDisposeScope(); reg[l].MoveToOuterDisposeScope();
        }
        return new FcosHeadOutput(cls, reg, ctr);
    }
}
