using TrackSharp.Checkpoints;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Detection.Fcos;

/// <summary>maskrcnn-benchmark's <c>backbone</c> Sequential: <c>body</c> (ResNet) then <c>fpn</c>.</summary>
public sealed class FcosBackbone : Module<Tensor, Tensor[]>
{
#pragma warning disable IDE1006
    internal readonly FcosResNet body;
    internal readonly FcosFpn fpn;
#pragma warning restore IDE1006

    public FcosBackbone(FcosModelOptions o) : base(nameof(FcosBackbone))
    {
        body = new FcosResNet(o);
        fpn = new FcosFpn(body.OutChannels.Skip(1).ToArray(), o.BackboneOutChannels, o.P6FromC5);
        RegisterComponents();
    }

    /// <summary>P3..P7.</summary>
    public override Tensor[] forward(Tensor x)
    {
        var c = body.forward(x);
        try { return fpn.forward(c); }
        finally { foreach (var t in c) t.Dispose(); }
    }
}

/// <summary>maskrcnn-benchmark's <c>FCOSModule</c> (<c>rpn</c>): holds the head.</summary>
public sealed class FcosModule : Module<Tensor[], FcosHeadOutput>
{
#pragma warning disable IDE1006
    internal readonly FcosHead head;
#pragma warning restore IDE1006

    public FcosModule(FcosModelOptions o) : base(nameof(FcosModule))
    {
        head = new FcosHead(o, o.BackboneOutChannels);
        RegisterComponents();
    }

    public override FcosHeadOutput forward(Tensor[] features) => head.forward(features);
}

/// <summary>The result of <see cref="FcosModel.Forward"/>: FPN features P3..P7 and the head outputs.</summary>
public sealed class FcosForward : IDisposable
{
    internal FcosForward(Tensor[] features, FcosHeadOutput head) { Features = features; Head = head; }
    public Tensor[] Features { get; }
    public FcosHeadOutput Head { get; }
    public void Dispose()
    {
        foreach (var t in Features) t.Dispose();
        Head.Dispose();
    }
}

/// <summary>
/// FCOS (tianzhi0549/FCOS, maskrcnn-benchmark's <c>GeneralizedRCNN</c> with <c>FCOS_ON</c>): ResNet-50/101 with
/// FrozenBatchNorm, FPN P3..P7 and the FCOS head, with maskrcnn-benchmark parameter and buffer names
/// (<c>backbone.body.*</c>, <c>backbone.fpn.*</c>, <c>rpn.head.*</c>) so its <c>state_dict</c> loads strictly.
/// Input: a (N, 3, H, W) BGR-255 mean-subtracted batch padded to <see cref="FcosModelOptions.SizeDivisibility"/>
/// (see <c>FcosPreprocessor</c>).
/// </summary>
public sealed class FcosModel : Module<Tensor, FcosHeadOutput>
{
#pragma warning disable IDE1006
    private readonly FcosBackbone backbone;
    private readonly FcosModule rpn;
#pragma warning restore IDE1006

    public FcosModelOptions Options { get; }

    public FcosModel(FcosModelOptions? options = null) : base(nameof(FcosModel))
    {
        Options = options ?? new FcosModelOptions();
        backbone = new FcosBackbone(Options);
        rpn = new FcosModule(Options);
        RegisterComponents();
        backbone.fpn.ResetParameters();
        rpn.head.ResetParameters();
        backbone.body.Freeze(Options.FreezeConvBodyAt);
    }

    /// <summary>
    /// Folds every FrozenBatchNorm into the convolution before it at run time (the parameters are not changed):
    /// faster, same function, float rounding of about 1e-4 of a map's range on the golden model instead of 1e-5.
    /// Off by default.
    /// </summary>
    public bool FoldFrozenBatchNorm
    {
        get => _fold;
        set
        {
            _fold = value;
            foreach (var m in modules().OfType<FrozenBatchNorm2d>()) m.Fold = value;
        }
    }
    private bool _fold;

    /// <summary>Loads a maskrcnn-benchmark checkpoint (<c>torch.save(model.state_dict())</c>, or a training checkpoint
    /// whose <c>model</c> entry holds it); strict by default: missing, unexpected or mis-shaped keys throw naming them.</summary>
    public LoadReport LoadWeights(string path, bool strict = true)
    {
        using var sd = StateDict.Load(path);
        return sd.LoadInto(this, strict);
    }

    /// <summary>FPN features and head outputs (see <see cref="FcosHead"/> for the train / eval regression units).</summary>
    public FcosForward Forward(Tensor images)
    {
        var f = backbone.forward(images);
        return new FcosForward(f, rpn.forward(f));
    }

    public override FcosHeadOutput forward(Tensor images)
    {
        var f = backbone.forward(images);
        try { return rpn.forward(f); }
        finally { foreach (var t in f) t.Dispose(); }
    }

    /// <summary>Parameters that train (frozen stages excluded), with their reference names.</summary>
    public IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> TrainableParameters() =>
        named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter));
}
