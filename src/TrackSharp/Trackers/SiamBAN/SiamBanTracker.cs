using System.Runtime.InteropServices;
using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Imaging;
using TrackSharp.Tracking;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamBAN;

/// <summary>
/// SiamBAN's tracker (reference <c>siamban/tracker/siamban_tracker.py</c>) on a <see cref="SiamBanModel"/>.
/// Initialisation keeps the neck features of a context-padded template crop (<c>EXEMPLAR_SIZE</c>); each frame
/// then crops the search region (<c>INSTANCE_SIZE</c>) around the last centre, runs the head, converts scores
/// (softmax, or sigmoid for one cls channel) and point distances to boxes, applies the scale/ratio penalty and
/// the cosine window, jumps the centre to the best cell, smooths the size only, and clips. Number types and
/// rounding follow the reference (see <see cref="BanScoring"/> and <see cref="ContextCrop"/>).
/// </summary>
public sealed class SiamBanTracker : ITracker
{
    private readonly SiamBanModel _model;
    private readonly BanTrackingParameters _parameters;
    private readonly BanScoreMaps _maps;
    private readonly Mat _templateCrop = new(), _searchCrop = new();
    private Tensor[]? _templateFeatures;
    private double[]? _channelMean;

    public SiamBanTrackerConfig Config { get; }
    public string Name { get; }
    public SiamBanModel Model => _model;

    /// <summary>Target centre (x, y) in image pixels; at initialisation x + (w - 1) / 2, as the reference.</summary>
    public (double X, double Y) Center { get; set; }

    /// <summary>Target size (w, h) in image pixels.</summary>
    public (double Width, double Height) Size { get; set; }

    /// <summary>What the last <see cref="Initialize"/> / <see cref="Track"/> computed, for diagnostics and parity tests.</summary>
    public SiamBanTrackStep LastStep { get; } = new();

    /// <param name="model">A model with its weights loaded; switched to evaluation mode and owned from now on.</param>
    /// <param name="config">Tracker settings; its <see cref="SiamBanTrackerConfig.ClsOutChannels"/> must equal the model's.</param>
    /// <param name="lostThreshold">A best score below this flags <see cref="TrackResult.TargetLost"/>.</param>
    /// <param name="name">Registry name reported by <see cref="Name"/>.</param>
    public SiamBanTracker(SiamBanModel model, SiamBanTrackerConfig config, double lostThreshold = 0.3, string? name = null)
    {
        config.Validate();
        if (config.ClsOutChannels != model.Options.ClsOutChannels)
            throw new ArgumentException(
                $"tracker config has cls_out_channels {config.ClsOutChannels} but the model has {model.Options.ClsOutChannels}");
        _model = model;
        _model.eval();
        Config = config;
        _parameters = new BanTrackingParameters(config.ContextAmount, config.ExemplarSize, config.InstanceSize,
            config.ClsOutChannels, config.PenaltyK, config.WindowInfluence, config.LearningRate, lostThreshold);
        Name = name ?? "siamban";
        _maps = new BanScoreMaps(config.ScoreSize, config.Stride, config.ClsOutChannels);
    }

    /// <summary>Points (x, y) interleaved, relative to the search-crop centre.</summary>
    public IReadOnlyList<float> Points => _maps.Points;
    /// <summary>The cosine window, row-major.</summary>
    public IReadOnlyList<double> Window => _maps.Window;
    /// <summary>Neck features of the template, one per level (owned by the tracker); null before Initialize.</summary>
    public IReadOnlyList<Tensor>? TemplateFeatures => _templateFeatures;
    /// <summary>The crops of the last Initialize / Track (BGR uint8; owned by the tracker).</summary>
    public Mat TemplateCrop => _templateCrop;
    public Mat SearchCrop => _searchCrop;
    /// <summary>Channel mean (B, G, R) of the first frame, the padding value of every crop.</summary>
    public IReadOnlyList<double>? ChannelMean => _channelMean;

    public void Initialize(Mat frame, BoxXywh box)
    {
        (Center, Size, _channelMean) = BanTracking.CropTemplate(frame, box, _parameters, _templateCrop, LastStep);

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = TensorImage.ToTensor(_templateCrop);
        var features = _model.Features(input);
        DisposeTemplate();
        _templateFeatures = features.Select(f => f.contiguous().DetachFromDisposeScope()).ToArray();
    }

    public TrackResult Track(Mat frame)
    {
        if (_channelMean is null || _templateFeatures is null)
            throw new InvalidOperationException("Initialize must be called before Track");
        TrackerValidation.RequireBgrFrame(frame);
        double scaleZ = BanTracking.CropSearch(frame, Center, Size, _parameters, _channelMean, _searchCrop, LastStep);
        RunNetwork();
        var (result, update) = BanTracking.ScoreAndUpdate(_maps, _parameters, scaleZ, Center, Size,
            frame.Width, frame.Height, LastStep);
        Center = (update.CenterX, update.CenterY);
        Size = (update.Width, update.Height);
        return result;
    }

    /// <summary>Network outputs and intermediate maps of the last frame (copies): cls [C, N], loc [4, N] (exp'ed
    /// distances l, t, r, b), score [N], boxes [4, N] (cx, cy, w, h), s_c, r_c, penalty [N], pscore [N].</summary>
    public SiamBanMaps LastMaps() => new(
        (float[])_maps.Cls.Clone(), (float[])_maps.Loc.Clone(), (float[])_maps.Score.Clone(), (float[])_maps.Boxes.Clone(),
        (float[])_maps.ScaleChange.Clone(), (float[])_maps.RatioChange.Clone(), (float[])_maps.Penalty.Clone(),
        (double[])_maps.PScore.Clone());

    private void RunNetwork()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = TensorImage.ToTensor(_searchCrop);
        var searchFeatures = _model.Features(input);
        var (cls, loc) = _model.Track(_templateFeatures!, searchFeatures);
        int s = Config.ScoreSize;
        if (cls.shape.Length != 4 || cls.shape[2] != s || cls.shape[3] != s)
            throw new InvalidOperationException(
                $"network score map is {string.Join("x", cls.shape)} but the config's score size is {s} " +
                "((INSTANCE_SIZE - EXEMPLAR_SIZE) // POINT.STRIDE + 1 + BASE_SIZE)");
        CopyOut(cls, _maps.Cls);
        CopyOut(loc, _maps.Loc);
    }

    private static void CopyOut(Tensor source, Span<float> destination)
    {
        using var contiguous = source.contiguous();
        if (contiguous.numel() != destination.Length)
            throw new InvalidOperationException($"network output has {contiguous.numel()} values, expected {destination.Length}");
        MemoryMarshal.Cast<byte, float>(contiguous.bytes).CopyTo(destination);
    }


    private void DisposeTemplate()
    {
        if (_templateFeatures is null) return;
        foreach (var f in _templateFeatures) f.Dispose();
        _templateFeatures = null;
    }

    public void Dispose()
    {
        DisposeTemplate();
        _model.Dispose();
        _templateCrop.Dispose();
        _searchCrop.Dispose();
    }
}

/// <summary>The maps of one SiamBAN step (see <see cref="SiamBanTracker.LastMaps"/>).</summary>
public sealed record SiamBanMaps(float[] Cls, float[] Loc, float[] Score, float[] Boxes, float[] ScaleChange,
    float[] RatioChange, float[] Penalty, double[] PScore);

/// <summary>Intermediate values of the last SiamBAN step (the fields every BAN-head tracker records).</summary>
public sealed class SiamBanTrackStep : BanTrackStep;
