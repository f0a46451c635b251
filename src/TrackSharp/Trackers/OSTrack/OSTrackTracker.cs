using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Tracking;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// OSTrack's tracker (<c>lib/test/tracker/ostrack.py</c>) on an <see cref="OSTrackModel"/>.
/// Initialisation: the template crop (<c>sample_target</c> at TEMPLATE_FACTOR, TEMPLATE_SIZE) is normalised once and
/// kept for the whole sequence (never updated), with the CE template mask of the config. Per frame: the search crop
/// around the last state (SEARCH_FACTOR, SEARCH_SIZE), the network with that mask and each CE block's own ratio, the
/// score map multiplied by a centred Hann window, <c>cal_bbox</c> at the windowed peak, the box scaled to pixels in
/// float32, mapped back around the last state and clipped (<c>clip_box</c>, margin 10) — that box is the new state.
/// Pixel convention: box centres are <c>xy + wh/2</c>. <see cref="TrackResult.Score"/> is the raw score-map value at the
/// chosen peak (0..1); below the lost threshold the result is flagged lost (the state is still updated, as upstream).
/// </summary>
public sealed class OSTrackTracker : ITracker, ITrackerDebugImages
{
    private readonly OSTrackModel _model;
    private readonly bool _ownsModel;
    private readonly double _lostThreshold;
    private readonly Device _device;
    private readonly Tensor _window;
    private readonly OSTrackPreprocessor _preprocessor = new();
    private Tensor? _template;
    private Tensor? _templateMask;
    private Mat? _templateCrop;
    private Mat? _searchCrop;

    /// <param name="model">The network; switched to evaluation mode. Disposed with the tracker when <paramref name="ownsModel"/>.</param>
    /// <param name="config">Crop settings; null = <see cref="OSTrackTrackerConfig.VitB256"/>.</param>
    /// <param name="lostThreshold">A peak score below this flags <see cref="TrackResult.TargetLost"/>.</param>
    /// <param name="name">Registry name; default "ostrack".</param>
    /// <param name="ownsModel">Whether <see cref="Dispose"/> disposes <paramref name="model"/>.</param>
    public OSTrackTracker(OSTrackModel model, OSTrackTrackerConfig? config = null, double lostThreshold = 0.3,
        string? name = null, bool ownsModel = true)
    {
        Config = config ?? OSTrackTrackerConfig.VitB256;
        Config.Validate(model.Config);
        _model = model;
        _model.eval();
        _ownsModel = ownsModel;
        _lostThreshold = lostThreshold;
        Name = name ?? "ostrack";
        _device = model.parameters().FirstOrDefault()?.device ?? CPU;
        int f = model.Config.SearchFeatSize;
        _window = HannWindow.Hann2d(f, f, centered: true, device: _device);
    }

    public string Name { get; }
    public OSTrackTrackerConfig Config { get; }
    public OSTrackModel Model => _model;

    /// <summary>The current target state (xywh, frame pixels): the last returned box, or the initial box.</summary>
    public BoxXywh State { get; private set; }

    /// <summary>The template crop of <see cref="Initialize"/> (BGR, TEMPLATE_SIZE²); null before it.</summary>
    public Mat? TemplateCrop => _templateCrop;

    /// <summary>The search crop of the last <see cref="Track(Mat)"/> (BGR, SEARCH_SIZE²); null before it.</summary>
    public Mat? SearchCrop => _searchCrop;

    /// <summary>Intermediate values of the last <see cref="Track(Mat)"/>.</summary>
    public OSTrackTrackStep LastStep { get; } = new();

    public void Initialize(Mat frame, BoxXywh box)
    {
        TrackerValidation.RequireBgrFrame(frame);
        TrackerValidation.RequireBoxInside(box, frame);
        var crop = SampleTarget.Extract(frame, box, Config.TemplateFactor, Config.TemplateSize);
        try
        {
            _template?.Dispose();
            _templateMask?.Dispose();
            _templateCrop?.Dispose();
            _template = _preprocessor.Process(crop.Crop).to(_device);
            _templateMask = _model.Config.UsesCandidateElimination && _model.Config.CeLoc.Count > 0
                ? CeTemplateMask.Create(_model.Config, 1, _device)
                : null;
            _templateCrop = crop.Crop.Clone();
        }
        finally
        {
            crop.Dispose();
        }
        State = box;
    }

    /// <summary>Teacher forcing: tracks <paramref name="frame"/> as if the last state had been <paramref name="state"/>.</summary>
    public TrackResult Track(Mat frame, BoxXywh state)
    {
        State = state;
        return Track(frame);
    }

    /// <summary>
    /// After <see cref="Initialize"/>: <c>template</c> (the template crop). After <see cref="Track(Mat)"/>: <c>search</c> (the
    /// search crop), <c>score</c> (the raw score map) and <c>response</c> (Hann window × score, the map the peak is taken
    /// from), the maps scaled to 0..255 over [0, 1], coloured with OpenCV's JET map and enlarged to the search crop's size
    /// (nearest neighbour: one block per feature cell), with the chosen peak cell outlined in white on the response.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Mat>> DebugImages()
    {
        var images = new List<KeyValuePair<string, Mat>>();
        if (_searchCrop is null)
        {
            if (_templateCrop is not null) images.Add(new("template", _templateCrop.Clone()));
            return images;
        }
        int f = _model.Config.SearchFeatSize;
        images.Add(new("search", _searchCrop.Clone()));
        images.Add(new("score", MapImage(LastStep.ScoreMap, f, Config.SearchSize, null)));
        images.Add(new("response", MapImage(LastStep.Response, f, Config.SearchSize, LastStep.PeakIndex)));
        return images;
    }

    private static Mat MapImage(float[] values, int f, int size, int? peak)
    {
        using var map = new Mat(f, f, MatType.CV_8UC1);
        for (int y = 0; y < f; y++)
            for (int x = 0; x < f; x++)
                map.Set(y, x, (byte)Math.Clamp(Math.Round(values[y * f + x] * 255.0), 0, 255));
        using var coloured = new Mat();
        Cv2.ApplyColorMap(map, coloured, ColormapTypes.Jet);
        var large = new Mat();
        Cv2.Resize(coloured, large, new OpenCvSharp.Size(size, size), 0, 0, InterpolationFlags.Nearest);
        if (peak is int p)
        {
            double cell = (double)size / f;
            var rect = new Rect((int)Math.Round(p % f * cell), (int)Math.Round(p / f * cell), (int)Math.Round(cell), (int)Math.Round(cell));
            Cv2.Rectangle(large, rect, Scalar.White, 1);
        }
        return large;
    }

    public TrackResult Track(Mat frame)
    {
        if (_template is null) throw new InvalidOperationException("OSTrack: Track() called before Initialize()");
        TrackerValidation.RequireBgrFrame(frame);
        int f = _model.Config.SearchFeatSize;
        var state = State;
        using var crop = SampleTarget.Extract(frame, state, Config.SearchFactor, Config.SearchSize);
        double resizeFactor = crop.ResizeFactor;
        float[] box, score, response;
        int peak;
        List<float[]> removed;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var search = _preprocessor.Process(crop.Crop).to(_device);
            var output = _model.Forward(_template, search, _templateMask);
            var windowed = _window * output.ScoreMap;
            var (boxes, _) = CenterPredictor.CalBbox(windowed, output.SizeMap, output.OffsetMap, f);
            box = boxes.view(-1, 4).mean([0]).cpu().data<float>().ToArray();
            score = output.ScoreMap.cpu().contiguous().data<float>().ToArray();
            response = windowed.cpu().contiguous().data<float>().ToArray();
            peak = (int)windowed.flatten().argmax().item<long>();
            removed = output.RemovedIndexes.Select(r => r is null ? [] : r.cpu().contiguous().data<float>().ToArray()).ToList();
        }
        var normalized = new BoxCxcywh(box[0], box[1], box[2], box[3]);
        var pixels = TrackerBoxMapping.ScaleNormalizedToPixels(normalized, Config.SearchSize, resizeFactor);
        var mapped = TrackerBoxMapping.MapBoxBack(state, pixels, resizeFactor, Config.SearchSize);
        State = TrackerBoxMapping.ClipBox(mapped, frame.Height, frame.Width, Config.ClipMargin);

        _searchCrop?.Dispose();
        _searchCrop = crop.Crop.Clone();
        LastStep.State = state;
        LastStep.ResizeFactor = resizeFactor;
        LastStep.ScoreMap = score;
        LastStep.Response = response;
        LastStep.PeakIndex = peak;
        LastStep.PredictedNormalized = normalized;
        LastStep.PredictedPixels = pixels;
        LastStep.MappedBack = mapped;
        LastStep.RemovedIndexes = removed;
        double confidence = score[peak];
        return new TrackResult(State, confidence, !(confidence >= _lostThreshold));
    }

    public void Dispose()
    {
        _template?.Dispose();
        _templateMask?.Dispose();
        _templateCrop?.Dispose();
        _searchCrop?.Dispose();
        _window.Dispose();
        if (_ownsModel) _model.Dispose();
    }
}
