using Microsoft.Extensions.Logging;
using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Data.Loading;
using TrackSharp.Trackers.SiamBAN.Training;
using TrackSharp.Tracking;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.NanoTrack.Training;

/// <summary>
/// A NanoTrack training run from one of its pysot-layout configs (HonglinChu/SiamTrackers <c>NanoTrack/models/config/
/// configv2.yaml</c> / <c>configv3.yaml</c>; <c>experiments/nanotrack_v2.yaml</c>, <c>nanotrack_v3.yaml</c>). NanoTrack's
/// <c>bin/train.py</c> is pysot's, so everything but the model is the SiamBAN trainer's: crop511 data
/// (<see cref="SiamBanDataPipeline"/>), point targets on the NanoTrack grid (<c>POINT.STRIDE</c> 16, <c>TRAIN.OUTPUT_SIZE</c>
/// 16 for v1/v2, 15 for v3, grid origin <c>SEARCH_SIZE//2 − OUTPUT_SIZE//2·STRIDE</c> as NanoTrack's <c>Point</c>), the
/// losses, SGD groups [backbone, neck, ban_head], warm-up + log LR and the backbone regime
/// (<see cref="SiamBanTrainingTask"/>; <c>BACKBONE.TRAIN_LAYERS: ['features']</c> from <c>TRAIN_EPOCH</c> with
/// <c>LAYERS_LR</c>), pysot's log lines and <c>checkpoint_e{N}.pth</c>.
/// </summary>
/// <remarks>
/// Start: random init (seeded), then <c>BACKBONE.PRETRAINED</c> into the backbone (non-strict, reported) and
/// <c>TRAIN.PRETRAINED</c> into the whole model (strict key set: the shipped <c>models/nanotrack/nanotrackv{1,2,3}.pth</c>
/// or an earlier checkpoint of this trainer). Either path may be a file or a path under <c>models/</c>. An empty
/// <c>TRAIN.PRETRAINED</c> trains from scratch. The version comes from <c>BACKBONE.TYPE</c> (<c>mobilenetv3_small_v3</c>:
/// v3, else v2) unless the TRAIN.PRETRAINED weights are v1 (v1 and v2 share their config; their heads differ).
/// NanoTrack's dataset code has no <c>BANDataset</c> size check, so TRAIN.OUTPUT_SIZE is checked against the model's map.
/// </remarks>
public sealed class NanoTrackTrainer : ITrainer
{
    private readonly NanoTrackModel _model;
    private readonly SiamBanTrainingTask _task;
    private readonly TensorBoardMonitor _tensorBoard;
    private readonly PysotLogMonitor _log;
    private readonly TrainingLoopOptions _options;

    public NanoTrackTrainer(TrainRequest request, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var log = request.Logger;
        Settings = SiamBanTrainSettings.FromConfig(config, checkOutputSize: false);
        string? pretrained = ResolveWeights(config, "TRAIN.PRETRAINED");
        Version = ResolveVersion(config, pretrained);
        int scoreSize = NanoTrackConfig.For(Version).ScoreSize;
        if (Settings.OutputSize != scoreSize)
            throw config.Error("TRAIN.OUTPUT_SIZE", $"{Settings.OutputSize} does not match NanoTrack {Version.Name()}'s {scoreSize}x{scoreSize} score map");
        var data = SiamBanDataPipeline.Open(config, Settings, request.DataRoots, seed, log);
        Datasets = data.Specs;
        int epochs = request.Epochs ?? Settings.Epochs;

        manual_seed(seed);
        _model = new NanoTrackModel(Version);
        SiamBanOptimizer? optimizer = null;
        try
        {
            LoadBackbone(config, log);
            if (pretrained is not null)
            {
                using var weights = StateDict.Load(pretrained);
                weights.LoadInto(_model, strict: true);
                log.LogInformation("TRAIN.PRETRAINED: NanoTrack {Version} weights from {Path}", Version.Name(), pretrained);
            }
            else log.LogInformation("TRAIN.PRETRAINED is empty: NanoTrack {Version} from scratch", Version.Name());
            optimizer = new SiamBanOptimizer(_model.Backbone, _model.Neck, _model.HeadModule, Settings.Lr, Settings.BackboneTrainLayers,
                Settings.Momentum, Settings.WeightDecay);
            _task = new SiamBanTrainingTask(_model, _model.Backbone, optimizer, data.Loader, Settings);
        }
        catch
        {
            optimizer?.Dispose();
            _model.Dispose();
            throw;
        }
        _tensorBoard = new TensorBoardMonitor(request.TensorBoardDirectory);
        _log = new PysotLogMonitor(line => log.LogInformation("{Line}", line), Settings.PrintFrequency);
        _options = request.LoopOptions(epochs, data.IterationsPerEpoch,
            new CheckpointStore(request.CheckpointDirectory, SiamBanTrainer.CheckpointPattern), seed, _log, _tensorBoard);
        log.LogInformation("NanoTrack {Version}: {Epochs} epochs x {Iterations} iterations of {Batch} pairs from {Datasets}; " +
                           "{Size}x{Size} map at stride {Stride}; backbone {Layers} trained from epoch {TrainEpoch}",
            Version.Name(), epochs, data.IterationsPerEpoch, Settings.BatchSize, data.Describe(), scoreSize, scoreSize,
            Settings.PointStride, string.Join("/", Settings.BackboneTrainLayers), Settings.BackboneTrainEpoch + 1);
    }

    /// <summary>The NanoTrack generation being trained.</summary>
    public NanoTrackVersion Version { get; }

    /// <summary>The training settings read from the config.</summary>
    public SiamBanTrainSettings Settings { get; }

    /// <summary>The datasets of the run.</summary>
    public IReadOnlyList<SiamBanDatasetSpec> Datasets { get; }

    /// <summary>The model being trained.</summary>
    public NanoTrackModel Model => _model;

    public long TotalSteps => (long)_options.MaxEpoch * _options.IterationsPerEpoch;

    public TrainSummary Run(CancellationToken cancellation) => new TrainingLoop<TensorBatch>(_task, _options).Run(cancellation);

    /// <summary>The version a config trains: from BACKBONE.TYPE, or v1 when the pretrained weights are v1.</summary>
    /// <exception cref="ConfigException">The pretrained weights are of a version the backbone type cannot hold.</exception>
    public static NanoTrackVersion ResolveVersion(ExperimentConfig config, string? pretrainedPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        string type = config.Get("BACKBONE.TYPE", "");
        var byType = type.EndsWith("_v3", StringComparison.OrdinalIgnoreCase) ? NanoTrackVersion.V3 : NanoTrackVersion.V2;
        if (pretrainedPath is null) return byType;
        NanoTrackVersion? detected;
        using (var weights = StateDict.Load(pretrainedPath)) detected = NanoTrackFactory.DetectVersion(weights.Keys);
        if (detected is not { } found)
            throw config.Error("TRAIN.PRETRAINED", $"'{pretrainedPath}' holds no NanoTrack ban_head (no ban_head.corr_* keys)");
        bool fits = byType == NanoTrackVersion.V3 ? found == NanoTrackVersion.V3 : found != NanoTrackVersion.V3;
        if (!fits)
            throw config.Error("TRAIN.PRETRAINED", $"'{pretrainedPath}' holds NanoTrack {found.Name()} weights, BACKBONE.TYPE '{type}' builds {byType.Name()}");
        return found;
    }

    /// <summary>A weights path of <paramref name="key"/>: a file, or a path under the models folder; null when empty.</summary>
    /// <exception cref="ConfigException">Neither exists.</exception>
    public static string? ResolveWeights(ExperimentConfig config, string key)
    {
        ArgumentNullException.ThrowIfNull(config);
        string path = config.Get(key, "");
        if (path.Length == 0) return null;
        if (File.Exists(path)) return path;
        try
        {
            return ModelStore.Resolve(path);
        }
        catch (FileNotFoundException)
        {
            throw config.Error(key, $"file '{path}' does not exist (neither as a path nor under the models folder)");
        }
    }

    private void LoadBackbone(ExperimentConfig config, ILogger log)
    {
        string? path = ResolveWeights(config, "BACKBONE.PRETRAINED");
        if (path is null) return;
        using var weights = StateDict.Load(path);
        var report = weights.LoadInto(_model.Backbone, strict: false);
        log.LogInformation("BACKBONE.PRETRAINED: loaded {Count} tensors from {Path}", report.Matched.Count, path);
        if (!report.IsExactMatch) log.LogWarning("BACKBONE.PRETRAINED: {Report}", report.Describe());
    }

    public void Dispose()
    {
        _task.Dispose();
        _tensorBoard.Dispose();
        _log.Dispose();
        _model.Dispose();
    }
}
