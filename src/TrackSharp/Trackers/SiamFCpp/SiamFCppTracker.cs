using OpenCvSharp;
using TorchSharp;
using TrackSharp.Geometry;
using TrackSharp.Imaging;
using TrackSharp.Tracking;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>
/// SiamFC++'s tracker (videoanalyst <c>pipeline/tracker_impl/siamfcpp_track.py</c>, <c>SiamFCppTracker</c>) on a
/// <see cref="SiamFCppModel"/>. Initialisation: the first frame's channel mean (used for every later crop's
/// border), a warped template crop and its kernels. Per frame: a warped search crop around the prior centre
/// scaled from the prior size, the network (score = cls * ctr, boxes), the scale/ratio penalty, the cosine window,
/// the first argmax, size smoothing with <c>penalty * score * test_lr</c>, then clipping to the image.
/// Boxes use the reference's +1 pixel convention (<c>cx = x + (w - 1) / 2</c>). A prior given as a rectangle
/// (initialisation, <see cref="Track(Mat, BoxXywh)"/>) is rounded to float32, as videoanalyst's
/// <c>xywh2cxywh</c> does, and the first steps that use it run in float32 as NumPy 1.x does.
/// </summary>
public sealed class SiamFCppTracker : ITracker
{
    private readonly SiamFCppModel _model;
    private readonly bool _ownsModel;
    private readonly double _lostThreshold;
    private readonly Device _device;
    private readonly double[] _window;
    private readonly float[] _score, _cls, _ctr, _boxXyxy, _boxCxywh, _penalty;
    private readonly double[] _pscore;
    private readonly Mat _templateCrop = new(), _searchCrop = new();
    private Tensor? _clsKernel, _regKernel;
    private double[]? _channelMean;
    private int _imageWidth, _imageHeight;
    private bool _priorIsFloat32;

    public SiamFCppTrackerConfig Config { get; }
    public string Name { get; }

    /// <summary>Target centre (x, y) in image pixels (+1 convention: <c>x + (w - 1) / 2</c>).</summary>
    public (double X, double Y) Center { get; private set; }

    /// <summary>Target size (w, h) in image pixels.</summary>
    public (double Width, double Height) Size { get; private set; }

    /// <summary>The first frame's per-channel mean (B, G, R, float64); the border colour of every crop.</summary>
    public IReadOnlyList<double> ChannelMean => _channelMean ?? [];

    /// <summary>Intermediate values of the last <see cref="Initialize"/> / <see cref="Track(Mat)"/>.</summary>
    public SiamFCppTrackStep LastStep { get; } = new();

    /// <summary>The cosine window (<c>np.outer(np.hanning(S), np.hanning(S))</c>, row-major).</summary>
    public IReadOnlyList<double> Window => _window;

    /// <param name="model">The network (eval mode). Disposed with the tracker when <paramref name="ownsModel"/>.</param>
    /// <param name="config">Tracker hyper-parameters; null = <see cref="SiamFCppTrackerConfig.Default"/>.</param>
    /// <param name="lostThreshold">A raw score (cls * ctr at the chosen point) below this flags TargetLost.</param>
    /// <param name="name">Registry name; default "siamfcpp".</param>
    /// <param name="ownsModel">Whether <see cref="Dispose"/> disposes <paramref name="model"/>.</param>
    public SiamFCppTracker(SiamFCppModel model, SiamFCppTrackerConfig? config = null, double lostThreshold = 0.3,
        string? name = null, bool ownsModel = true)
    {
        Config = config ?? SiamFCppTrackerConfig.Default;
        Config.Validate();
        var mc = model.Config;
        if (mc.XSize != Config.XSize || mc.ZSize != Config.ZSize || mc.TotalStride != Config.TotalStride
            || mc.NumConv3x3 != Config.NumConv3x3)
            throw new ArgumentException(
                $"tracker config (z_size {Config.ZSize}, x_size {Config.XSize}, total_stride {Config.TotalStride}, num_conv3x3 {Config.NumConv3x3}) " +
                $"does not match the model's (z_size {mc.ZSize}, x_size {mc.XSize}, total_stride {mc.TotalStride}, num_conv3x3 {mc.NumConv3x3})");
        _model = model;
        _ownsModel = ownsModel;
        _lostThreshold = lostThreshold;
        Name = name ?? "siamfcpp";
        _device = model.parameters().FirstOrDefault()?.device ?? CPU;
        int n = Config.ScoreSize * Config.ScoreSize;
        _window = SiamFCppScoring.Window(Config.ScoreSize, Config.Windowing);
        _score = new float[n];
        _cls = new float[n];
        _ctr = new float[n];
        _boxXyxy = new float[4 * n];
        _boxCxywh = new float[4 * n];
        _penalty = new float[n];
        _pscore = new double[n];
    }

    /// <summary>
    /// Creates the tracker for the registry: <see cref="TrackerOptions.WeightsPath"/> is required (no SiamFC++
    /// weights ship with TrackSharp); <see cref="TrackerOptions.Version"/> picks the network shape:
    /// "alexnet" (default, the published model), "small" (the golden width-/4 AlexNet), "googlenet",
    /// "shufflenetv2x1_0" or "shufflenetv2x0_5"; the tracker uses the GOT-10k test settings with that model's
    /// num_conv3x3.
    /// </summary>
    public static SiamFCppTracker Create(TrackerOptions options)
    {
        if (options.WeightsPath is null)
            throw new ArgumentException(
                "siamfcpp needs --weights FILE (a videoanalyst SiamFC++ state dict); no SiamFC++ weights ship with TrackSharp");
        var modelConfig = ModelForVersion(options.Version);
        if (options.Threads > 0) torch.set_num_threads(options.Threads);
        var model = SiamFCppFactory.LoadModel(options.WeightsPath, modelConfig);
        return new SiamFCppTracker(model, TrackerConfigFor(modelConfig), options.LostThreshold,
            options.Version is null ? "siamfcpp" : $"siamfcpp-{options.Version.ToLowerInvariant()}");
    }

    /// <summary>The model of a <c>--version</c> name (null = "alexnet").</summary>
    public static SiamFCppModelConfig ModelForVersion(string? version) => (version ?? "alexnet").ToLowerInvariant() switch
    {
        "alexnet" => SiamFCppModelConfig.AlexNet,
        "small" => SiamFCppModelConfig.Small,
        "googlenet" => SiamFCppModelConfig.GoogLeNet,
        "shufflenetv2x1_0" => SiamFCppModelConfig.ShuffleNetV2X1_0,
        "shufflenetv2x0_5" => SiamFCppModelConfig.ShuffleNetV2X0_5,
        var v => throw new ArgumentException(
            $"siamfcpp --version must be alexnet, small, googlenet, shufflenetv2x1_0 or shufflenetv2x0_5, got '{v}'"),
    };

    /// <summary>The GOT-10k test settings (<see cref="SiamFCppTrackerConfig.Default"/>) with the model's sizes.</summary>
    public static SiamFCppTrackerConfig TrackerConfigFor(SiamFCppModelConfig model) => SiamFCppTrackerConfig.Default with
    {
        NumConv3x3 = model.NumConv3x3, XSize = model.XSize, ZSize = model.ZSize, TotalStride = model.TotalStride,
    };

    public void Initialize(Mat frame, BoxXywh box)
    {
        TrackerValidation.RequireBgrFrame(frame);
        TrackerValidation.RequireBoxInside(box, frame);
        _imageWidth = frame.Width;
        _imageHeight = frame.Height;
        SetPriorFromRect(box);
        _channelMean = ContextCrop.ChannelMean(frame);

        var g = SiamFCppTrackerCrop.Extract(frame, Center.X, Center.Y, Size.Width, Size.Height, Config.ContextAmount,
            Config.ZSize, Config.ZSize, _channelMean, _templateCrop);
        LastStep.TemplateGeometry = g;

        _clsKernel?.Dispose();
        _regKernel?.Dispose();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var z = TensorImage.ToTensor(_templateCrop, device: _device);
        var (c, r) = _model.EncodeTemplate(z);
        _clsKernel = c.MoveToOuterDisposeScope();
        _regKernel = r.MoveToOuterDisposeScope();
    }

    /// <summary>Tracks with the tracker's own state (its previous output) as the prior (<c>update(im)</c>).</summary>
    public TrackResult Track(Mat frame) => TrackFromPrior(frame);

    /// <summary>
    /// Tracks with <paramref name="prior"/> (x, y, w, h) as the prior instead of the previous output
    /// (<c>update(im, state=rect)</c>); the teacher-forced parity mode.
    /// </summary>
    public TrackResult Track(Mat frame, BoxXywh prior)
    {
        SetPriorFromRect(prior);
        return TrackFromPrior(frame);
    }

    /// <summary>
    /// Sets the tracker's own (float64) state, as a free-running update leaves it: the next
    /// <see cref="Track(Mat)"/> uses it as the prior. For replaying a reference run from its saved states.
    /// </summary>
    public void SetState((double X, double Y) center, (double Width, double Height) size)
    {
        Center = center;
        Size = size;
        _priorIsFloat32 = false;
    }

    /// <summary>The template kernels (c_z_k, r_z_k) of the last initialisation (owned by the tracker).</summary>
    public (Tensor Cls, Tensor Reg) TemplateKernels =>
        (_clsKernel ?? throw new InvalidOperationException("Initialize must be called first"), _regKernel!);

    /// <summary>The crops of the last Initialize / Track (BGR uint8; owned by the tracker).</summary>
    public Mat TemplateCrop => _templateCrop;
    public Mat SearchCrop => _searchCrop;

    /// <summary>Copies of the last frame's maps: score, cls, ctr [N]; boxes xyxy and cxywh [N, 4]; penalty; pscore.</summary>
    public (float[] Score, float[] Cls, float[] Ctr, float[] BoxXyxy, float[] BoxCxywh, float[] Penalty, double[] PScore) LastMaps() =>
        ((float[])_score.Clone(), (float[])_cls.Clone(), (float[])_ctr.Clone(), (float[])_boxXyxy.Clone(),
            (float[])_boxCxywh.Clone(), (float[])_penalty.Clone(), (double[])_pscore.Clone());

    private void SetPriorFromRect(BoxXywh rect)
    {
        // xywh2cxywh: np.float32, cx = x + (w - 1) / 2.
        float x = (float)rect.X, y = (float)rect.Y, w = (float)rect.Width, h = (float)rect.Height;
        Center = (x + (w - 1f) / 2f, y + (h - 1f) / 2f);
        Size = (w, h);
        _priorIsFloat32 = true;
    }

    private TrackResult TrackFromPrior(Mat frame)
    {
        if (_channelMean is null || _clsKernel is null || _regKernel is null)
            throw new InvalidOperationException("Initialize must be called before Track");
        TrackerValidation.RequireBgrFrame(frame);
        var step = LastStep;
        bool f32 = _priorIsFloat32;
        var (px, py) = Center;
        var (tw, th) = Size;

        var g = SiamFCppTrackerCrop.Extract(frame, px, py, tw, th, Config.ContextAmount, Config.ZSize, Config.XSize,
            _channelMean, _searchCrop);
        step.SearchGeometry = g;
        double scaleX = g.ScaleX;

        RunNetwork();
        SiamFCppScoring.XyxyToCxywh(_boxXyxy, _boxCxywh);

        // target_sz * scale_x: a float32 prior times a float64 scalar stays float32 in NumPy 1.x.
        double twc = f32 ? (float)tw * (float)scaleX : tw * scaleX;
        double thc = f32 ? (float)th * (float)scaleX : th * scaleX;
        SiamFCppScoring.Penalty(_boxCxywh, twc, thc, Config.PenaltyK, _penalty);
        int best = BanScoring.BlendAndSelect(_penalty, _score, _window, Config.WindowInfluence, _pscore);

        // _postprocess_box: the chosen box back to image pixels with np.float32(scale_x).
        float fScale = (float)scaleX;
        float predCx = _boxCxywh[4 * best] / fScale, predCy = _boxCxywh[4 * best + 1] / fScale;
        float predW = _boxCxywh[4 * best + 2] / fScale, predH = _boxCxywh[4 * best + 3] / fScale;
        double lr = (double)(_penalty[best] * _score[best]) * Config.TestLr;
        double back = (Config.XSize / 2) / scaleX;
        double cx = (f32 ? (double)(predCx + (float)px) : predCx + px) - back;
        double cy = (f32 ? (double)(predCy + (float)py) : predCy + py) - back;
        double width = tw * (1 - lr) + predW * lr;
        double height = th * (1 - lr) + predH * lr;
        step.CenterBeforeRestrict = (cx, cy);
        step.SizeBeforeRestrict = (width, height);

        // _restrict_box: centre to [0, im_w] x [0, im_h], size to [min_w, im_w] x [min_h, im_h].
        cx = PyMinMax.Max(0, PyMinMax.Min(_imageWidth, cx));
        cy = PyMinMax.Max(0, PyMinMax.Min(_imageHeight, cy));
        width = PyMinMax.Max(Config.MinW, PyMinMax.Min(_imageWidth, width));
        height = PyMinMax.Max(Config.MinH, PyMinMax.Min(_imageHeight, height));
        Center = (cx, cy);
        Size = (width, height);
        _priorIsFloat32 = false;

        step.BestIndex = best;
        step.BestPScore = _pscore[best];
        step.BestScore = _score[best];
        step.LearningRate = lr;
        step.BoxInCrop = new[]
        {
            (long)Math.Round(_boxXyxy[4 * best], MidpointRounding.ToEven),
            (long)Math.Round(_boxXyxy[4 * best + 1], MidpointRounding.ToEven),
            (long)Math.Round(_boxXyxy[4 * best + 2], MidpointRounding.ToEven),
            (long)Math.Round(_boxXyxy[4 * best + 3], MidpointRounding.ToEven),
        };

        // cxywh2xywh (float32, like every videoanalyst box conversion): x = cx - (w - 1) / 2.
        float fcx = (float)cx, fcy = (float)cy, fw = (float)width, fh = (float)height;
        var rect = new BoxXywh(fcx - (fw - 1f) / 2f, fcy - (fh - 1f) / 2f, fw, fh);
        double score = _score[best];
        return new TrackResult(rect, score, !(score >= _lostThreshold));
    }

    private void RunNetwork()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = TensorImage.ToTensor(_searchCrop, device: _device);
        using var output = _model.Track(_clsKernel!, _regKernel!, x);
        CopyOut(output.Score, _score);
        CopyOut(output.ClsProb, _cls);
        CopyOut(output.CtrProb, _ctr);
        CopyOut(output.Bbox, _boxXyxy);
    }

    private static void CopyOut(Tensor t, float[] destination)
    {
        using var cpu = t.to(CPU).contiguous();
        if (cpu.numel() != destination.Length)
            throw new InvalidOperationException($"network output has {cpu.numel()} values, expected {destination.Length}");
        cpu.data<float>().CopyTo(destination, 0);
    }

    public void Dispose()
    {
        _clsKernel?.Dispose();
        _regKernel?.Dispose();
        _templateCrop.Dispose();
        _searchCrop.Dispose();
        if (_ownsModel) _model.Dispose();
    }
}

/// <summary>Intermediate values of the last SiamFC++ step (diagnostics and parity tests).</summary>
public sealed class SiamFCppTrackStep
{
    /// <summary>Template crop geometry (<c>z_warp_M</c>) of the last initialisation.</summary>
    public SiamFCppTrackerCrop.CropGeometry TemplateGeometry { get; internal set; }
    /// <summary>Search crop geometry of the last frame: scale_x, crop side, warp matrix (<c>x_warp_M</c>).</summary>
    public SiamFCppTrackerCrop.CropGeometry SearchGeometry { get; internal set; }
    public int BestIndex { get; internal set; }
    public double BestPScore { get; internal set; }
    /// <summary>Raw score (cls * ctr) at the chosen point: the tracker's confidence.</summary>
    public float BestScore { get; internal set; }
    public double LearningRate { get; internal set; }
    /// <summary><c>bbox_pred_in_crop</c>: <c>np.rint</c> of the chosen xyxy box in search-crop pixels.</summary>
    public long[] BoxInCrop { get; internal set; } = [];
    public (double X, double Y) CenterBeforeRestrict { get; internal set; }
    public (double Width, double Height) SizeBeforeRestrict { get; internal set; }
}
