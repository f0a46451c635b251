using Microsoft.Extensions.Logging;
using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Data.Loading;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamBAN.Training;

/// <summary>
/// A SiamBAN training run from a pysot/siamban config (<c>experiments/siamban_r50_l234/config.yaml</c>): the model of
/// BACKBONE / ADJUST / BAN (random init, then <c>BACKBONE.PRETRAINED</c> into the backbone and <c>TRAIN.PRETRAINED</c>
/// into the whole model when given, both loaded non-strictly with a report of what did not match, as pysot's
/// <c>load_pretrain</c>); crop511 datasets (<see cref="SiamBanTrainingDatasets"/>) sampled with NEG / GRAY / NUM_USE /
/// FRAME_RANGE and <c>VIDEOS_PER_EPOCH</c> pairs per epoch; pysot's augmentation and point targets; SGD per
/// <see cref="SiamBanOptimizer"/>, the backbone regime and gradient clipping (<see cref="SiamBanTrainingTask"/>);
/// <c>TRAIN.EPOCH</c> epochs (or <c>--epochs</c>) of <c>VIDEOS_PER_EPOCH // BATCH_SIZE</c> iterations; pysot's log lines
/// (<see cref="PysotLogMonitor"/>), TensorBoard scalars, and a checkpoint <c>checkpoint_e{N}.pth</c> after every epoch
/// (N 1-based, as pysot names them). Everything random derives from the seed (0), so a resumed run sees the data and
/// the updates an uninterrupted one would.
/// </summary>
public sealed class SiamBanTrainer : ITrainer
{
    /// <summary>pysot's snapshot names.</summary>
    public const string CheckpointPattern = "checkpoint_e{epoch1}.pth";

    private readonly SiamBanModel _model;
    private readonly SiamBanTrainingTask _task;
    private readonly TensorBoardMonitor _tensorBoard;
    private readonly PysotLogMonitor _log;
    private readonly TrainingLoopOptions _options;

    public SiamBanTrainer(TrainRequest request, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var log = request.Logger;
        Settings = SiamBanTrainSettings.FromConfig(config);
        var modelOptions = SiamBanModelOptions.FromConfig(config);
        var data = SiamBanDataPipeline.Open(config, Settings, request.DataRoots, seed, log);
        Datasets = data.Specs;
        int epochs = request.Epochs ?? Settings.Epochs;
        int iterations = data.IterationsPerEpoch;

        manual_seed(seed);
        _model = new SiamBanModel(modelOptions);
        SiamBanOptimizer? optimizer = null;
        try
        {
            LoadPretrained(config, log);
            optimizer = new SiamBanOptimizer(_model, Settings.Lr, Settings.BackboneTrainLayers, Settings.Momentum, Settings.WeightDecay);
            _task = new SiamBanTrainingTask(_model, optimizer, data.Loader, Settings);
        }
        catch
        {
            optimizer?.Dispose();
            _model.Dispose();
            throw;
        }
        _tensorBoard = new TensorBoardMonitor(request.TensorBoardDirectory);
        _log = new PysotLogMonitor(line => log.LogInformation("{Line}", line), Settings.PrintFrequency);
        _options = request.LoopOptions(epochs, iterations, new CheckpointStore(request.CheckpointDirectory, CheckpointPattern), seed,
            _log, _tensorBoard);
        log.LogInformation("SiamBAN {Arc}: {Epochs} epochs x {Iterations} iterations of {Batch} pairs from {Datasets}; " +
                           "backbone {Layers} trained from epoch {TrainEpoch}",
            config.Get("META_ARC", "siamban"), epochs, iterations, Settings.BatchSize,
            data.Describe(),
            string.Join("/", Settings.BackboneTrainLayers), Settings.BackboneTrainEpoch + 1);
    }

    /// <summary>The training settings read from the config.</summary>
    public SiamBanTrainSettings Settings { get; }

    /// <summary>The datasets of the run.</summary>
    public IReadOnlyList<SiamBanDatasetSpec> Datasets { get; }

    /// <summary>The model being trained.</summary>
    public SiamBanModel Model => _model;

    public long TotalSteps => (long)_options.MaxEpoch * _options.IterationsPerEpoch;

    public TrainSummary Run(CancellationToken cancellation) => new TrainingLoop<TensorBatch>(_task, _options).Run(cancellation);

    private void LoadPretrained(ExperimentConfig config, ILogger log)
    {
        foreach (var (key, module) in new (string, nn.Module)[] { ("BACKBONE.PRETRAINED", _model.Backbone), ("TRAIN.PRETRAINED", _model) })
        {
            string path = config.Get(key, "");
            if (path.Length == 0) continue;
            if (!File.Exists(path)) throw config.Error(key, $"file '{path}' does not exist");
            using var weights = StateDict.Load(path);
            var report = weights.LoadInto(module, strict: false);
            log.LogInformation("{Key}: loaded {Count} tensors from {Path}", key, report.Matched.Count, path);
            if (!report.IsExactMatch) log.LogWarning("{Key}: {Report}", key, report.Describe());
        }
    }

    public void Dispose()
    {
        _task.Dispose();
        _tensorBoard.Dispose();
        _log.Dispose();
        _model.Dispose();
    }
}
