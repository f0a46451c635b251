using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Tracking;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// NanoTrack's tracker (reference <c>nanotrack/tracker/nano_tracker.py</c>) on any
/// <see cref="INanoTrackNetwork"/> backend. Per frame: a context crop around the last centre scaled from the
/// last size, the network, then the scale/ratio penalty, the cosine window, size smoothing and clipping.
/// Reproduces the reference's number types and rounding (see <see cref="BanScoring"/>).
/// </summary>
public sealed class NanoTracker : ITracker
{
    private readonly INanoTrackNetwork _network;
    private readonly BanTrackingParameters _parameters;
    private readonly BanScoreMaps _maps;
    private readonly Mat _templateCrop = new(), _searchCrop = new();
    private double[]? _channelMean;

    public NanoTrackConfig Config { get; }
    public string Name { get; }

    /// <summary>Target centre (x, y) in image pixels, reference convention: x + (w - 1) / 2 at initialisation.</summary>
    public (double X, double Y) Center { get; set; }

    /// <summary>Target size (w, h) in image pixels.</summary>
    public (double Width, double Height) Size { get; set; }

    /// <summary>What the last <see cref="Track"/> computed, for diagnostics and parity tests.</summary>
    public NanoTrackStep LastStep { get; } = new();

    public NanoTracker(INanoTrackNetwork network, NanoTrackConfig config, double lostThreshold = 0.3, string? name = null)
    {
        if (network.ScoreSize != config.ScoreSize)
            throw new ArgumentException(
                $"network score map is {network.ScoreSize}x{network.ScoreSize} but the {config.Version.Name()} config expects {config.ScoreSize}");
        _network = network;
        Config = config;
        _parameters = new BanTrackingParameters(config.ContextAmount, config.ExemplarSize, config.InstanceSize,
            ClsOutChannels: 2, config.PenaltyK, config.WindowInfluence, config.LearningRate, lostThreshold);
        Name = name ?? "nanotrack-" + config.Version.Name();
        _maps = new BanScoreMaps(config.ScoreSize, config.Stride, clsOutChannels: 2);
    }

    public IReadOnlyList<float> Points => _maps.Points;
    public IReadOnlyList<double> Window => _maps.Window;

    public void Initialize(Mat frame, BoxXywh box)
    {
        (Center, Size, _channelMean) = BanTracking.CropTemplate(frame, box, _parameters, _templateCrop, LastStep);
        _network.SetTemplate(_templateCrop);
    }

    public TrackResult Track(Mat frame)
    {
        if (_channelMean is null) throw new InvalidOperationException("Initialize must be called before Track");
        TrackerValidation.RequireBgrFrame(frame);
        double scaleZ = BanTracking.CropSearch(frame, Center, Size, _parameters, _channelMean, _searchCrop, LastStep);
        _network.Track(_searchCrop, _maps.Cls, _maps.Loc);
        var (result, update) = BanTracking.ScoreAndUpdate(_maps, _parameters, scaleZ, Center, Size,
            frame.Width, frame.Height, LastStep);
        Center = (update.CenterX, update.CenterY);
        Size = (update.Width, update.Height);
        return result;
    }

    /// <summary>Raw network outputs and intermediate maps of the last frame (copies).</summary>
    public (float[] Cls, float[] Loc, float[] Score, float[] Boxes, float[] Penalty, double[] Blended) LastMaps() =>
        ((float[])_maps.Cls.Clone(), (float[])_maps.Loc.Clone(), (float[])_maps.Score.Clone(), (float[])_maps.Boxes.Clone(),
            (float[])_maps.Penalty.Clone(), (double[])_maps.PScore.Clone());

    /// <summary>The crops of the last Initialize / Track (BGR uint8; owned by the tracker).</summary>
    public Mat TemplateCrop => _templateCrop;
    public Mat SearchCrop => _searchCrop;


    public void Dispose()
    {
        _network.Dispose();
        _templateCrop.Dispose();
        _searchCrop.Dispose();
    }
}

/// <summary>Intermediate values of the last NanoTrack step (the fields every BAN-head tracker records).</summary>
public sealed class NanoTrackStep : BanTrackStep;
