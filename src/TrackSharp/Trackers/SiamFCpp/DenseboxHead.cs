using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>Raw outputs of <see cref="DenseboxHead"/> for a batch of B pairs on an HxW score map.</summary>
/// <param name="ClsLogit">Classification logits, [B, H*W, 1] (row-major, i = y*W + x).</param>
/// <param name="CtrLogit">Centerness logits (computed from the classification tower), [B, H*W, 1].</param>
/// <param name="Offsets">Distances l, t, r, b in crop pixels: <c>exp(si*x + bi) * total_stride</c>, [B, 4, H, W].</param>
/// <param name="Bbox">Decoded boxes (x0, y0, x1, y1) in crop pixels, [B, H*W, 4].</param>
/// <param name="ClsFeat">Classification tower output, [B, C, H, W].</param>
public sealed record DenseboxHeadOutput(Tensor ClsLogit, Tensor CtrLogit, Tensor Offsets, Tensor Bbox, Tensor ClsFeat) : IDisposable
{
    public void Dispose()
    {
        ClsLogit.Dispose();
        CtrLogit.Dispose();
        Offsets.Dispose();
        Bbox.Dispose();
        ClsFeat.Dispose();
    }
}

/// <summary>
/// videoanalyst's <c>DenseboxHead</c>: per branch <c>num_conv3x3</c> 3x3 convs with pad 0 and ReLU
/// (<c>cls_p5_conv{i}</c>, <c>bbox_p5_conv{i}</c>; BN where <c>head_conv_bn[i]</c>), then 1x1 conv + BN outputs
/// <c>cls_score_p5</c>, <c>ctr_score_p5</c> (both on the classification tower) and <c>bbox_offsets_p5</c> (on
/// the regression tower), and the learnable scalars <c>si</c>, <c>bi</c> of the offset transform.
/// </summary>
public sealed class DenseboxHead : Module<Tensor, Tensor, DenseboxHeadOutput>
{
#pragma warning disable IDE1006
    private readonly Parameter bi;
    private readonly Parameter si;
    private readonly ConvBnRelu cls_score_p5;
    private readonly ConvBnRelu ctr_score_p5;
    private readonly ConvBnRelu bbox_offsets_p5;
#pragma warning restore IDE1006
    private readonly ConvBnRelu[] _clsTower;
    private readonly ConvBnRelu[] _bboxTower;

    /// <summary>The last point grid and what it was made for (the tracker asks for the same one every frame).</summary>
    private Tensor? _centres;
    private (int Size, int Offset, DeviceType Type, int Index) _centresKey;
    private readonly object _centresLock = new();

    public SiamFCppModelConfig Config { get; }

    public DenseboxHead(SiamFCppModelConfig config) : base(nameof(DenseboxHead))
    {
        config.Validate();
        Config = config;
        int width = config.HeadWidth;
        bi = new Parameter(tensor(0f));
        si = new Parameter(tensor(1f));
        _clsTower = new ConvBnRelu[config.NumConv3x3];
        _bboxTower = new ConvBnRelu[config.NumConv3x3];
        for (int i = 0; i < config.NumConv3x3; i++)
        {
            _clsTower[i] = new ConvBnRelu(width, width, kernel: 3, hasBn: config.HeadConvBn[i]);
            _bboxTower[i] = new ConvBnRelu(width, width, kernel: 3, hasBn: config.HeadConvBn[i]);
        }
        cls_score_p5 = new ConvBnRelu(width, 1, kernel: 1, hasRelu: false);
        ctr_score_p5 = new ConvBnRelu(width, 1, kernel: 1, hasRelu: false);
        bbox_offsets_p5 = new ConvBnRelu(width, 4, kernel: 1, hasRelu: false);
        RegisterComponents();
        for (int i = 0; i < config.NumConv3x3; i++)
        {
            register_module($"cls_p5_conv{i + 1}", _clsTower[i]);
            register_module($"bbox_p5_conv{i + 1}", _bboxTower[i]);
        }
    }

    /// <summary>The scale <c>si</c> of the offset transform.</summary>
    public Parameter Si => si;

    /// <summary>The bias <c>bi</c> of the offset transform.</summary>
    public Parameter Bi => bi;

    /// <summary>
    /// Score-map point coordinates in the crop, [1, size*size, 2] as (x, y): point i = y*size + x lies at
    /// <c>(offset + stride*x, offset + stride*y)</c> (pixel coordinates, centre of pixel k at k).
    /// </summary>
    public static Tensor PointCentres(int size, int offset, int stride, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var steps = arange(size, dtype: ScalarType.Float32, device: device) * stride + offset;
        var ys = steps.view(size, 1).expand(size, size);
        var xs = steps.view(1, size).expand(size, size);
        return stack(new[] { xs, ys }, 2).reshape(1, size * size, 2).MoveToOuterDisposeScope();
    }

    /// <param name="clsCorr">Classification correlation map c_out, [B, C, h, w].</param>
    /// <param name="regCorr">Regression correlation map r_out, [B, C, h, w].</param>
    public override DenseboxHeadOutput forward(Tensor clsCorr, Tensor regCorr) => Forward(clsCorr, regCorr, 0);

    /// <param name="clsCorr">c_out.</param>
    /// <param name="regCorr">r_out.</param>
    /// <param name="xSize">Search crop side; used only with <see cref="SiamFCppModelConfig.InputSizeAdapt"/>.</param>
    public DenseboxHeadOutput Forward(Tensor clsCorr, Tensor regCorr, int xSize)
    {
        using var scope = NewDisposeScope();
        // alias: with no tower convs the outputs must not be the caller's tensors.
        var cls = clsCorr.alias();
        var reg = regCorr.alias();
        for (int i = 0; i < _clsTower.Length; i++)
        {
            cls = _clsTower[i].forward(cls);
            reg = _bboxTower[i].forward(reg);
        }
        var clsLogit = Flatten(cls_score_p5.forward(cls), 1);
        var ctrLogit = Flatten(ctr_score_p5.forward(cls), 1);
        var offsets = exp(si * bbox_offsets_p5.forward(reg) + bi) * Config.TotalStride;

        int size = (int)offsets.shape[3];
        int scoreOffset;
        if (Config.InputSizeAdapt && xSize > 0) scoreOffset = Config.ScoreOffsetFor(xSize, size);
        else if (size == Config.ScoreSize && offsets.shape[2] == size) scoreOffset = Config.ScoreOffset;
        else
            throw new ArgumentException(
                $"score map is {offsets.shape[2]}x{size} but the head was configured for {Config.ScoreSize}x{Config.ScoreSize} " +
                $"(x_size {Config.XSize}); set InputSizeAdapt and pass the search size");
        var centres = CachedCentres(size, scoreOffset, offsets.device);
        var flat = Flatten(offsets, 4);
        var bbox = cat(new[] { centres - flat.narrow(2, 0, 2), centres + flat.narrow(2, 2, 2) }, 2);
        var output = new DenseboxHeadOutput(clsLogit, ctrLogit, offsets, bbox, cls);
        foreach (var t in new[] { clsLogit, ctrLogit, offsets, bbox, cls }) t.MoveToOuterDisposeScope();
        return output;
    }

    /// <summary><see cref="PointCentres"/> for this head's stride, kept while size, offset and device stay the same.</summary>
    private Tensor CachedCentres(int size, int offset, Device device)
    {
        var key = (size, offset, device.type, device.index);
        lock (_centresLock)
        {
            if (_centres is null || _centresKey != key)
            {
                // A grid for another size replaces the old one; the previous tensor is left to the GC rather than
                // disposed, in case another thread's forward still reads it.
                _centres = PointCentres(size, offset, Config.TotalStride, device).DetachFromDisposeScope();
                _centresKey = key;
            }
            return _centres;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _centres?.Dispose();
            _centres = null;
        }
        base.Dispose(disposing);
    }

    /// <summary>[B, C, H, W] -> [B, H*W, C] (the reference's permute(0, 2, 3, 1).reshape(B, -1, C)).</summary>
    private static Tensor Flatten(Tensor map, int channels) => map.permute(0, 2, 3, 1).reshape(map.shape[0], -1, channels);
}
