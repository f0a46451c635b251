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
    private readonly double _lostThreshold;
    private readonly float[] _points;
    private readonly double[] _window;
    private readonly float[] _cls, _loc, _score, _boxes, _penalty;
    private readonly double[] _blended;
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
        _lostThreshold = lostThreshold;
        Name = name ?? "nanotrack-" + config.Version.Name();
        int n = config.ScoreSize * config.ScoreSize;
        _points = BanScoring.Points(config.ScoreSize, config.Stride);
        _window = BanScoring.CosineWindow(config.ScoreSize);
        _cls = new float[2 * n];
        _loc = new float[4 * n];
        _score = new float[n];
        _boxes = new float[4 * n];
        _penalty = new float[n];
        _blended = new double[n];
    }

    public IReadOnlyList<float> Points => _points;
    public IReadOnlyList<double> Window => _window;

    public void Initialize(Mat frame, BoxXywh box)
    {
        TrackerValidation.RequireBgrFrame(frame);
        TrackerValidation.RequireBoxInside(box, frame);
        Center = (box.X + (box.Width - 1) / 2, box.Y + (box.Height - 1) / 2);
        Size = (box.Width, box.Height);
        _channelMean = ContextCrop.ChannelMean(frame);

        long templateSide = (long)Math.Round(ContextCrop.ContextSide(Size.Width, Size.Height, Config.ContextAmount),
            MidpointRounding.ToEven);
        LastStep.TemplateWindow = ContextCrop.Extract(frame, Center.X, Center.Y, templateSide, Config.ExemplarSize,
            _channelMean, _templateCrop);
        LastStep.TemplateSide = templateSide;
        _network.SetTemplate(_templateCrop);
    }

    public TrackResult Track(Mat frame)
    {
        if (_channelMean is null) throw new InvalidOperationException("Initialize must be called before Track");
        TrackerValidation.RequireBgrFrame(frame);
        var step = LastStep;

        // Not rounded here, unlike at initialisation.
        double templateSide = ContextCrop.ContextSide(Size.Width, Size.Height, Config.ContextAmount);
        double scaleZ = Config.ExemplarSize / templateSide;
        double searchSide = templateSide * ((double)Config.InstanceSize / Config.ExemplarSize);
        long cropSide = (long)Math.Round(searchSide, MidpointRounding.ToEven);
        step.SearchWindow = ContextCrop.Extract(frame, Center.X, Center.Y, cropSide, Config.InstanceSize,
            _channelMean, _searchCrop);
        step.ScaleZ = scaleZ;
        step.SearchSide = cropSide;

        _network.Track(_searchCrop, _cls, _loc);
        BanScoring.ConvertScore(_cls, 2, _score);
        BanScoring.ConvertBoxes(_loc, _points, _boxes);
        BanScoring.Penalty(_boxes, Size.Width, Size.Height, scaleZ, Config.PenaltyK, _penalty);
        int best = BanScoring.BlendAndSelect(_penalty, _score, _window, Config.WindowInfluence, _blended);

        var update = BanScoring.UpdateState(_boxes, _penalty, _score, best, scaleZ, Config.LearningRate,
            Center.X, Center.Y, Size.Width, Size.Height, frame.Width, frame.Height);
        Center = (update.CenterX, update.CenterY);
        Size = (update.Width, update.Height);

        step.BestIndex = best;
        step.BestScore = _score[best];
        step.LearningRate = update.LearningRate;
        step.BoxOffset = (update.OffsetX, update.OffsetY, update.BoxWidth, update.BoxHeight);

        double score = _score[best];
        return new TrackResult(update.Box, score, !(score >= _lostThreshold));
    }

    /// <summary>Raw network outputs and intermediate maps of the last frame (copies).</summary>
    public (float[] Cls, float[] Loc, float[] Score, float[] Boxes, float[] Penalty, double[] Blended) LastMaps() =>
        ((float[])_cls.Clone(), (float[])_loc.Clone(), (float[])_score.Clone(), (float[])_boxes.Clone(),
            (float[])_penalty.Clone(), (double[])_blended.Clone());

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

/// <summary>Intermediate values of the last NanoTrack step.</summary>
public sealed class NanoTrackStep
{
    public ContextCrop.Window TemplateWindow { get; internal set; }
    public long TemplateSide { get; internal set; }
    public ContextCrop.Window SearchWindow { get; internal set; }
    public long SearchSide { get; internal set; }
    public double ScaleZ { get; internal set; }
    public int BestIndex { get; internal set; }
    public float BestScore { get; internal set; }
    public double LearningRate { get; internal set; }
    /// <summary>Chosen box in image pixels relative to the previous centre (dx, dy, w, h), float32 as the reference.</summary>
    public (float Dx, float Dy, float Width, float Height) BoxOffset { get; internal set; }
}
