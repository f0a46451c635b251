using Microsoft.Extensions.Logging;
using TrackSharp.Config;
using TrackSharp.Detection.Data;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using static TorchSharp.torch;

namespace TrackSharp.Detection.Fcos.Training;

/// <summary>
/// An FCOS training run from a maskrcnn-benchmark config (<c>configs/fcos/*.yaml</c>), as its <c>do_train</c>:
/// the model of the config (weights from <c>MODEL.WEIGHT</c> when it names a file, else the reference's
/// initialisation, seeded), SGD with <c>make_optimizer</c>'s groups, <see cref="WarmupMultiStepLR"/> per iteration,
/// <c>SOLVER.MAX_ITER</c> iterations of <c>SOLVER.IMS_PER_BATCH</c> images from the aspect-grouped detection loader
/// (training resize and flip of the config), checkpoints <c>model_{iter:07d}.pth</c> every
/// <c>SOLVER.CHECKPOINT_PERIOD</c> iterations and at the end, plus a copy <c>model_final.pth</c> when the run
/// finishes, the reference's log line every 20 iterations (<see cref="MaskRcnnTrainingLog"/>) and TensorBoard scalars.
/// <c>--epochs</c> does not apply (the schedule is iteration-based: override <c>SOLVER.MAX_ITER</c> instead).
/// </summary>
public sealed class FcosTrainer : ITrainer
{
    /// <summary>maskrcnn-benchmark's periodic checkpoint names.</summary>
    public const string CheckpointPattern = "model_{step:0000000}.pth";

    /// <summary>The name of the weights of a finished run.</summary>
    public const string FinalCheckpoint = "model_final.pth";

    private readonly FcosModel _model;
    private readonly FcosTrainingTask _task;
    private readonly TensorBoardMonitor _tensorBoard;
    private readonly TrainingLoopOptions _options;
    private readonly ILogger _log;

    /// <param name="request">Config, data, run folder.</param>
    /// <param name="seed">Seeds the initialisation, the shuffles and the per-image draws.</param>
    /// <param name="logLine">Where the reference log lines go; default: the request's logger.</param>
    public FcosTrainer(TrainRequest request, int seed = 0, Action<string>? logLine = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        _log = request.Logger;
        Settings = FcosTrainSettings.FromConfig(config);
        if (request.Epochs is not null)
            _log.LogWarning("--epochs does not apply to FCOS (iteration-based); set SOLVER.MAX_ITER={MaxIter} instead", Settings.MaxIter);
        var modelOptions = FcosModelOptions.FromConfig(config);
        var dataset = FcosTrainingData.Open(request.DataRoots);
        if (dataset.Count == 0) throw new ArgumentException("the FCOS training dataset has no image with a usable box");
        var loader = new DetectionDataLoader(dataset, new DetectionTransform(DetectionConfig.Transform(config, training: true)),
            DetectionConfig.Loader(config, training: true, seed));

        manual_seed(seed);
        _model = new FcosModel(modelOptions);
        FcosOptimizer? optimizer = null;
        try
        {
            LoadInitialWeights(config);
            optimizer = new FcosOptimizer(_model, FcosSolverOptions.FromConfig(config));
            _task = new FcosTrainingTask(_model, optimizer, loader, Settings.Schedule, Settings.MaxIter);
        }
        catch
        {
            optimizer?.Dispose();
            _model.Dispose();
            throw;
        }
        Log = new MaskRcnnTrainingLog(logLine ?? (line => _log.LogInformation("{Line}", line)), Settings.MaxIter);
        _tensorBoard = new TensorBoardMonitor(request.TensorBoardDirectory);
        _options = request.LoopOptions(1, Settings.MaxIter, new CheckpointStore(request.CheckpointDirectory, CheckpointPattern), seed,
            Log, _tensorBoard) with
        {
            CheckpointEveryEpochs = 0,
            CheckpointEveryIterations = Settings.CheckpointPeriod,
        };
        _log.LogInformation("FCOS: {MaxIter} iterations of {Batch} images from {Count} images, checkpoint every {Period}",
            Settings.MaxIter, config.Get("SOLVER.IMS_PER_BATCH", 16), dataset.Count, Settings.CheckpointPeriod);
    }

    /// <summary>The solver schedule read from the config.</summary>
    public FcosTrainSettings Settings { get; }

    /// <summary>The model being trained.</summary>
    public FcosModel Model => _model;

    /// <summary>The reference log monitor of this run.</summary>
    public MaskRcnnTrainingLog Log { get; }

    public long TotalSteps => Settings.MaxIter;

    public TrainSummary Run(CancellationToken cancellation)
    {
        var summary = new TrainingLoop<DetectionBatch>(_task, _options).Run(cancellation);
        if (summary.Finished && _options.Checkpoints!.Latest() is { } last)
        {
            string final = Path.Combine(_options.Checkpoints.Directory, FinalCheckpoint);
            File.Copy(last.WeightsPath, final, overwrite: true);
            _log.LogInformation("checkpoint {Checkpoint}", final);
        }
        return summary;
    }

    private void LoadInitialWeights(ExperimentConfig config)
    {
        string weights = config.Get("MODEL.WEIGHT", "");
        if (weights.Length == 0) return;
        if (weights.Contains("://", StringComparison.Ordinal))
            throw config.Error("MODEL.WEIGHT", $"'{weights}' is a maskrcnn-benchmark catalog/URL name; give a local .pth file (or '' for no pretrained weights)");
        if (!File.Exists(weights))
            throw config.Error("MODEL.WEIGHT", $"the file '{weights}' does not exist");
        var report = _model.LoadWeights(weights, strict: false);
        _log.LogInformation("loaded {Weights}: {Report}", weights, report);
    }

    public void Dispose()
    {
        _task.Dispose();
        _tensorBoard.Dispose();
        Log.Dispose();
        _model.Dispose();
    }
}
