using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Imaging;
using TrackSharp.Tracking;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// TrDiMP / TrSiam as an <see cref="ITracker"/>: <see cref="TrDiMPInitialization"/> on the first frame, then
/// <see cref="TrDiMPFrameTracker"/> per frame. Random draws (initial shifts, dropout channels, IoUNet box jitter) come
/// from one generator seeded at construction, so a run is reproducible. The score is the maximum of the classifier's
/// score map; <see cref="TrackResult.TargetLost"/> is set for 'not_found' frames (the position is then kept).
/// </summary>
public sealed class TrDiMPTracker : ITracker
{
    private readonly TrDiMPNet _net;
    private readonly bool _ownsNet;
    private readonly TrDiMPTrackerParams _params;
    private readonly Generator _generator;
    private readonly TrDiMPFrameTracker _frameTracker;
    private TrDiMPTrackerState? _state;

    public TrDiMPTracker(string name, TrDiMPNet net, TrDiMPTrackerParams parameters, long seed = 0, bool ownsNet = true)
    {
        Name = name;
        _net = net;
        _ownsNet = ownsNet;
        _params = parameters;
        _generator = new Generator((ulong)seed);
        _frameTracker = new TrDiMPFrameTracker(net, parameters, generator: _generator);
        _net.eval();
    }

    public string Name { get; }

    /// <summary>The last localisation outcome (null before the first tracked frame).</summary>
    public LocalizationFlag? LastFlag { get; private set; }

    /// <summary>Builds a tracker from a pytracking checkpoint (its network settings are read from the tensor shapes) and,
    /// with <see cref="TrackerOptions.ConfigPath"/>, a parameter file (<see cref="TrDiMPParamsYaml"/>).</summary>
    public static TrDiMPTracker Create(TrackerOptions options, bool trSiam)
    {
        string name = trSiam ? "trsiam" : "trdimp";
        if (string.IsNullOrEmpty(options.WeightsPath))
            throw new ArgumentException($"{name} needs a weights file (--weights FILE): TrackSharp ships no TrDiMP weights " +
                "(pytracking's trdimp_net.pth.tar, or any checkpoint with its parameter names).");
        if (options.Threads > 0) set_num_threads(options.Threads);
        var net = TrDiMPCheckpoints.LoadNet(options.WeightsPath);
        var baseline = trSiam ? TrDiMPTrackerParams.TrSiam : TrDiMPTrackerParams.TrDiMP;
        try
        {
            var parameters = string.IsNullOrEmpty(options.ConfigPath) ? baseline : TrDiMPParamsYaml.Load(options.ConfigPath, baseline);
            return new TrDiMPTracker(name, net, parameters);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    public void Initialize(Mat frame, BoxXywh box)
    {
        if (!box.IsValid) throw new ArgumentException($"{Name}: initial box {box} is empty or not finite");
        _state?.Dispose();
        using var scope = NewDisposeScope();
        var image = TensorImage.ToTensor(frame, new TensorImageOptions { ChannelOrder = ChannelOrder.Rgb });
        var (state, diag) = TrDiMPInitialization.Run(_net, _params, image, ((float)box.X, (float)box.Y, (float)box.Width, (float)box.Height),
            () => rand(2, generator: _generator),
            (n, c) => rand(n, c, generator: _generator) >= _params.Dropout.Probability);
        diag.Dispose();
        _state = state;
        LastFlag = null;
    }

    public TrackResult Track(Mat frame)
    {
        var state = _state ?? throw new InvalidOperationException($"{Name}: Track called before Initialize");
        using var scope = NewDisposeScope();
        var image = TensorImage.ToTensor(frame, new TensorImageOptions { ChannelOrder = ChannelOrder.Rgb });
        using var r = _frameTracker.Track(state, image);
        LastFlag = r.Localization.Flag;
        return new TrackResult(new BoxXywh(r.X, r.Y, r.W, r.H), r.Localization.MaxScore, r.Localization.Flag == LocalizationFlag.NotFound);
    }

    public void Dispose()
    {
        _state?.Dispose();
        _generator.Dispose();
        if (_ownsNet) _net.Dispose();
    }
}
