using Microsoft.Extensions.Logging;
using TrackSharp.Config;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Processing;
using TrackSharp.Data.Sampling;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack.Training;

/// <summary>
/// An OSTrack training run from an experiment config in OSTrack's layout (<c>lib/train/train_script.py</c> +
/// <c>LTRTrainer</c>): the network of <c>MODEL.*</c> (seeded init, then <c>MODEL.PRETRAIN_FILE</c> as MAE ViT weights when
/// set), pairs from <see cref="TrackingSampler"/> over the <see cref="OSTrackTrainingDatasets"/> processed by
/// <see cref="OSTrackProcessing"/>, the <see cref="OSTrackActor"/>, AdamW with the backbone multiplier, StepLR at
/// <c>LR_DROP_EPOCH</c> and gradient clipping (<see cref="OSTrackOptimizer"/>); <c>TRAIN.EPOCH</c> epochs (or
/// <c>--epochs</c>) of <c>SAMPLE_PER_EPOCH // BATCH_SIZE</c> iterations; checkpoints <c>OSTrack_ep{NNNN}.pth.tar</c> on
/// OSTrack's schedule (<see cref="OSTrackTrainSettings.SavesAfterEpoch"/>); console lines in the reference's layout
/// (<see cref="LtrTextMonitor"/>, through the logger) and TensorBoard scalars (train in
/// <c>logs/tensorboard</c>, validation in <c>logs/tensorboard/val</c>).
/// </summary>
public sealed class OSTrackTrainer : ITrainer
{
    /// <summary>OSTrack's checkpoint names (<c>{net_type}_ep{epoch:04d}.pth.tar</c>).</summary>
    public const string CheckpointPattern = "OSTrack_ep{epoch1:0000}.pth.tar";

    private readonly OSTrackModel _model;
    private readonly OSTrackTrainingTask _task;
    private readonly TensorBoardMonitor _tensorBoard;
    private readonly ValidationTensorBoard? _valBoard;
    private readonly TrainingLoopOptions _options;

    public OSTrackTrainer(TrainRequest request, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var log = request.Logger;
        Settings = OSTrackTrainSettings.FromConfig(config, seed);
        var modelConfig = OSTrackModelConfig.FromExperiment(config);
        int epochs = request.Epochs ?? Settings.Epochs;
        Datasets = OSTrackTrainingDatasets.ResolveTrain(config, request.DataRoots);
        ValDatasets = OSTrackTrainingDatasets.ResolveVal(config, request.DataRoots);
        var datasets = OSTrackTrainingDatasets.Open(Datasets);
        var valDatasets = Settings.ValIterations > 0 ? OSTrackTrainingDatasets.Open(ValDatasets) : [];

        manual_seed(seed);
        _model = new OSTrackModel(modelConfig);
        OSTrackOptimizer? optimizer = null;
        try
        {
            LoadPretrained(config, log);
            if (OSTrackTrainSettings.WarnsAboutFreezeLayers(Settings.FreezeLayers))
                log.LogWarning("TRAIN.FREEZE_LAYERS [{Layers}] has no effect: upstream OSTrack reads it but freezes nothing, and so does TrackSharp",
                    string.Join(", ", Settings.FreezeLayers));
            var loader = Loader(datasets, Datasets, Settings.Processing, Settings.Sampler, Settings.BatchSize,
                Settings.IterationsPerEpoch, Settings.Workers, log);
            var valLoader = valDatasets.Count > 0
                ? Loader(valDatasets, ValDatasets, Settings.ValProcessing,
                    Settings.Sampler with { SamplesPerEpoch = Settings.ValSamplesPerEpoch, Seed = seed + 1 }, Settings.BatchSize,
                    Settings.ValIterations, Settings.Workers, log)
                : null;
            optimizer = new OSTrackOptimizer(_model, Settings.Optimizer);
            var actor = new OSTrackActor(_model, Settings.LossWeights, Settings.CeStartEpoch, Settings.CeWarmEpoch);
            _task = new OSTrackTrainingTask(actor, optimizer, loader, valLoader, Settings.ValEpochInterval, seed);
        }
        catch
        {
            optimizer?.Dispose();
            _model.Dispose();
            throw;
        }
        _tensorBoard = new TensorBoardMonitor(request.TensorBoardDirectory);
        if (ValDatasets.Count > 0 && Settings.ValIterations > 0)
        {
            _valBoard = new ValidationTensorBoard(request.TensorBoardDirectory, Settings.IterationsPerEpoch);
            _task.Validated = (epoch, stats) =>
            {
                _valBoard.Write(epoch, stats);
                log.LogInformation("[val: {Epoch}] {Stats}", epoch,
                    string.Join("  ,  ", stats.Select(s => $"{s.Key}: {s.Value.ToString("F5", System.Globalization.CultureInfo.InvariantCulture)}")));
            };
        }
        var text = new LtrTextMonitor(line => log.LogInformation("{Line}", line), Settings.PrintInterval, Settings.BatchSize, printTimes: true);
        _options = request.LoopOptions(epochs, Settings.IterationsPerEpoch,
            new CheckpointStore(request.CheckpointDirectory, new CheckpointNamePattern(CheckpointPattern)), seed, text, _tensorBoard) with
        {
            CheckpointAfterEpoch = e => OSTrackTrainSettings.SavesAfterEpoch(e, epochs),
        };
        log.LogInformation("OSTrack {Backbone} ({Dim}x{Depth}): {Epochs} epochs x {Iterations} iterations of {Batch} pairs from {Datasets}; " +
                           "validation {Val}", modelConfig.BackboneType, modelConfig.EmbedDim, modelConfig.Depth, epochs,
            Settings.IterationsPerEpoch, Settings.BatchSize, string.Join(", ", Datasets.Select(d => $"{d.Name} ({d.Root})")),
            _valBoard is null ? "off (no DATA.VAL folder given with --data)" : $"every {Settings.ValEpochInterval} epochs on " +
                                                                         string.Join(", ", ValDatasets.Select(d => d.Name)));
    }

    public OSTrackTrainSettings Settings { get; }

    public IReadOnlyList<OSTrackDatasetSpec> Datasets { get; }

    public IReadOnlyList<OSTrackDatasetSpec> ValDatasets { get; }

    public OSTrackModel Model => _model;

    public long TotalSteps => (long)_options.MaxEpoch * _options.IterationsPerEpoch;

    public TrainSummary Run(CancellationToken cancellation)
    {
        var summary = new TrainingLoop<TensorBatch>(_task, _options).Run(cancellation);
        if (summary.Finished) _task.ValidateIfDue(_options.MaxEpoch);
        return summary;
    }

    private void LoadPretrained(ExperimentConfig config, ILogger log)
    {
        string file = config.Get("MODEL.PRETRAIN_FILE", "");
        if (file.Length == 0) return;
        if (!File.Exists(file))
            throw config.Error("MODEL.PRETRAIN_FILE", $"pretrained ViT weights '{file}' not found (give a path, or \"\" to train from scratch)");
        var report = OSTrackCheckpoints.LoadMaePretrained(_model, file);
        log.LogInformation("pretrained backbone from {File}: {Report}", file, report.ToString());
    }

    /// <summary>A deterministic loader of <paramref name="iterations"/> batches of <paramref name="batch"/> samples per epoch.</summary>
    private static SampleLoader<OSTrackSample> Loader(IReadOnlyList<ISequenceDataset> datasets, IReadOnlyList<OSTrackDatasetSpec> specs,
        OSTrackProcessingOptions processingOptions, TrackingSamplerOptions samplerOptions, int batch, int iterations, int workers, ILogger log)
    {
        var sampler = new TrackingSampler(datasets.Select(d => (ISampleSource)new DatasetSampleSource(d)).ToList(),
            specs.Select(s => s.Ratio).ToList(), samplerOptions);
        var processing = new OSTrackProcessing(processingOptions);
        SampleFunction<OSTrackSample> sample = context =>
        {
            var s = sampler.Sample(context.Epoch, context.Index, context.Attempt);
            var sequence = datasets[s.DatasetIndex].Sequences[s.SequenceIndex];
            return processing.Process(sequence, s.TemplateFrames[0], s.SearchFrames[0], context.Random);
        };
        return new SampleLoader<OSTrackSample>(sample, new LoaderOptions
        {
            BatchSize = batch,
            EpochLength = iterations * batch,
            Workers = workers,
            Prefetch = 2 * workers,
            Seed = samplerOptions.Seed,
        }, log);
    }

    public void Dispose()
    {
        _task.Dispose();
        _tensorBoard.Dispose();
        _valBoard?.Dispose();
        _model.Dispose();
    }
}
