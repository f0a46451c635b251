using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>Track-phase outputs of <see cref="SiamFCppModel.Track"/> for B search crops on an HxW score map.</summary>
/// <param name="Score">cls_prob * ctr_prob (no square root), [B, H*W, 1].</param>
/// <param name="Bbox">Decoded boxes (x0, y0, x1, y1) in search-crop pixels, [B, H*W, 4].</param>
/// <param name="ClsProb">sigmoid(cls logit), [B, H*W, 1].</param>
/// <param name="CtrProb">sigmoid(ctr logit), [B, H*W, 1].</param>
public sealed record SiamFCppTrackOutput(Tensor Score, Tensor Bbox, Tensor ClsProb, Tensor CtrProb) : IDisposable
{
    public void Dispose()
    {
        Score.Dispose();
        Bbox.Dispose();
        ClsProb.Dispose();
        CtrProb.Dispose();
    }
}

/// <summary>
/// The SiamFC++ network (videoanalyst's <c>SiamTrack</c> task model: the backbone the config names — AlexNet,
/// Inception3 or ShuffleNetV2, see <see cref="SiamFCppBackbones"/> — the four adjust convs and the
/// <c>DenseboxHead</c>), with the reference's parameter names (<c>basemodel.*</c>, <c>head.*</c>, <c>c_z_k.*</c>,
/// <c>r_z_k.*</c>, <c>c_x.*</c>, <c>r_x.*</c>) so its state dicts load unchanged.
/// Inputs are BGR crops, float32 0..255, NCHW (z 127x127, x 303x303 by default); a backbone that needs another
/// input range converts them itself, as the reference's do.
/// </summary>
public sealed class SiamFCppModel : Module<Tensor, Tensor, DenseboxHeadOutput>
{
#pragma warning disable IDE1006
    private readonly Module<Tensor, Tensor> basemodel;
    private readonly DenseboxHead head;
    private readonly ConvBnRelu c_z_k;
    private readonly ConvBnRelu r_z_k;
    private readonly ConvBnRelu c_x;
    private readonly ConvBnRelu r_x;
#pragma warning restore IDE1006

    public SiamFCppModelConfig Config { get; }

    public SiamFCppModel(SiamFCppModelConfig? config = null) : base(nameof(SiamFCppModel))
    {
        Config = config ?? SiamFCppModelConfig.AlexNet;
        Config.Validate();
        basemodel = SiamFCppBackbones.Create(Config);
        int backboneChannels = ((ISiamFCppBackbone)basemodel).OutputChannels;
        if (backboneChannels != Config.HeadWidth)
        {
            basemodel.Dispose();
            throw new ArgumentException(
                $"the {Config.BackboneName} backbone ends with {backboneChannels} channels but head_width is {Config.HeadWidth}");
        }
        int w = Config.HeadWidth;
        var bias = Config.NeckConvBias;
        c_z_k = Neck(w, bias[0]);
        r_z_k = Neck(w, bias[1]);
        c_x = Neck(w, bias[2]);
        r_x = Neck(w, bias[3]);
        head = new DenseboxHead(Config);
        RegisterComponents();

        // conv3x3 pad 0 + BN, no ReLU (the reference's _make_convs).
        static ConvBnRelu Neck(int width, bool hasBias) => hasBias
            ? new ConvBnRelu(width, width, kernel: 3, hasRelu: false)
            : throw new NotSupportedException("neck convs without bias are not supported (neck_conv_bias false)");
    }

    /// <summary>The backbone (<c>basemodel</c>): <see cref="SiamFCppAlexNet"/>, <see cref="Backbones.SiamFCppInception3"/>
    /// or <see cref="Backbones.SiamFCppShuffleNetV2"/>, as <see cref="SiamFCppModelConfig.BackboneName"/> says.</summary>
    public Module<Tensor, Tensor> Backbone => basemodel;

    /// <summary>The head (<c>head</c>).</summary>
    public DenseboxHead Head => head;

    /// <summary>Backbone features of crops (127 -> 6x6, 303 -> 28x28 for the AlexNet; 5x5, 27x27 for Inception3;
    /// 8x8, 30x30 for ShuffleNetV2).</summary>
    public Tensor Embed(Tensor crops) => basemodel.forward(crops);

    /// <summary>Template kernels (the reference's phase <c>feature</c>): (c_z_k, r_z_k) of backbone features f_z.</summary>
    public (Tensor Cls, Tensor Reg) TemplateKernels(Tensor templateFeatures) =>
        (c_z_k.forward(templateFeatures), r_z_k.forward(templateFeatures));

    /// <summary>Search features (c_x, r_x) of backbone features f_x.</summary>
    public (Tensor Cls, Tensor Reg) SearchFeatures(Tensor searchFeatures) =>
        (c_x.forward(searchFeatures), r_x.forward(searchFeatures));

    /// <summary>Template kernels (c_z_k, r_z_k) of template crops [B, 3, 127, 127].</summary>
    public (Tensor Cls, Tensor Reg) EncodeTemplate(Tensor templateCrops)
    {
        using var fz = Embed(templateCrops);
        return TemplateKernels(fz);
    }

    /// <summary>
    /// Depth-wise cross-correlation (videoanalyst <c>xcorr_depthwise</c>): every channel of
    /// <paramref name="search"/> [B, C, H, W] is cross-correlated (no flip, no padding, no bias) with the same
    /// channel of <paramref name="kernel"/> [B, C, h, w] of the same batch item; result [B, C, H-h+1, W-w+1].
    /// </summary>
    public static Tensor XCorrDepthwise(Tensor search, Tensor kernel)
    {
        long batch = kernel.shape[0], channels = kernel.shape[1];
        if (search.shape[0] != batch || search.shape[1] != channels)
            throw new ArgumentException(
                $"xcorr_depthwise: search [{string.Join(", ", search.shape)}] and kernel [{string.Join(", ", kernel.shape)}] differ in batch or channels");
        using var scope = NewDisposeScope();
        var x = search.reshape(1, batch * channels, search.shape[2], search.shape[3]);
        var k = kernel.reshape(batch * channels, 1, kernel.shape[2], kernel.shape[3]);
        var output = functional.conv2d(x, k, groups: batch * channels);
        return output.view(batch, channels, output.shape[2], output.shape[3]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Train-phase forward: template crops and search crops to raw head outputs (the reference's
    /// <c>cls_pred</c> = ClsLogit, <c>ctr_pred</c> = CtrLogit, <c>box_pred</c> = Bbox).
    /// </summary>
    public override DenseboxHeadOutput forward(Tensor templateCrops, Tensor searchCrops)
    {
        using var scope = NewDisposeScope();
        var (cZ, rZ) = EncodeTemplate(templateCrops);
        var output = HeadFromKernels(cZ, rZ, searchCrops);
        MoveOut(output.ClsLogit, output.CtrLogit, output.Offsets, output.Bbox, output.ClsFeat);
        return output;
    }

    /// <summary>
    /// Track-phase forward (the reference's phase <c>track</c>): precomputed template kernels and search crops to
    /// score = sigmoid(cls) * sigmoid(ctr), decoded boxes and both probabilities.
    /// </summary>
    public SiamFCppTrackOutput Track(Tensor clsKernel, Tensor regKernel, Tensor searchCrops)
    {
        using var scope = NewDisposeScope();
        var raw = HeadFromKernels(clsKernel, regKernel, searchCrops);
        var clsProb = sigmoid(raw.ClsLogit);
        var ctrProb = sigmoid(raw.CtrLogit);
        var score = clsProb * ctrProb;
        MoveOut(score, raw.Bbox, clsProb, ctrProb);
        return new SiamFCppTrackOutput(score, raw.Bbox, clsProb, ctrProb);
    }

    private DenseboxHeadOutput HeadFromKernels(Tensor clsKernel, Tensor regKernel, Tensor searchCrops)
    {
        var fx = Embed(searchCrops);
        var (cX, rX) = SearchFeatures(fx);
        var rOut = XCorrDepthwise(rX, regKernel);
        var cOut = XCorrDepthwise(cX, clsKernel);
        return head.Forward(cOut, rOut, (int)searchCrops.shape[3]);
    }

    private static void MoveOut(params Tensor[] tensors)
    {
        foreach (var t in tensors) t.MoveToOuterDisposeScope();
    }
}
