using Microsoft.Extensions.Logging;
using TrackSharp.Config;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Sampling;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>
/// A SiamFC++ training run from a videoanalyst task config (<c>experiments/siamfcpp_*.yaml</c>): the model the config
/// describes, initialised as the reference does plus its pretrained weights; the datasets of
/// <see cref="SiamFCppTrainingDatasets"/>; pairs sampled with the config's negative ratio, cropped by
/// <see cref="SiamFCppPairCrop"/> and labelled by the densebox target; SGD with the LR policy, the param-group
/// multipliers and the <see cref="DynamicFreezer"/>; <c>data.num_epochs</c> epochs (or <c>--epochs</c>) of
/// <c>nr_image_per_epoch // minibatch</c> iterations; checkpoints <c>epoch-{N}.pkl</c> after every epoch and
/// TensorBoard scalars under the reference's tags. Sampling is seeded (seed 0), so a resumed run sees the data an
/// uninterrupted one would.
/// </summary>
public sealed class SiamFCppTrainer : ITrainer
{
    /// <summary>videoanalyst's snapshot names.</summary>
    public const string CheckpointPattern = "epoch-{epoch}.pkl";

    private readonly SiamFCppModel _model;
    private readonly SiamFCppTrainingTask _task;
    private readonly TensorBoardMonitor _tensorBoard;
    private readonly TrainingLoopOptions _options;

    public SiamFCppTrainer(TrainRequest request, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var log = request.Logger;
        Settings = SiamFCppTrainSettings.FromConfig(config);
        var modelConfig = SiamFCppModelConfig.FromConfig(config);
        var loss = SiamFCppLossSettings.FromConfig(config);
        int epochs = request.Epochs ?? Settings.NumEpochs;
        int iterations = Settings.IterationsPerEpoch;
        if (iterations < 1)
            throw config.Error("data.nr_image_per_epoch", $"{Settings.NrImagePerEpoch} images make no batch of {Settings.Minibatch}");
        Datasets = SiamFCppTrainingDatasets.Resolve(config, request.DataRoots);
        var datasets = SiamFCppTrainingDatasets.Open(Datasets);

        manual_seed(seed);
        _model = new SiamFCppModel(modelConfig);
        SiamFCppOptimizer? optimizer = null;
        try
        {
            foreach (string line in SiamFCppInitialization.Apply(_model, config)) log.LogInformation("{Line}", line);
            var subsets = Datasets.Zip(datasets, (spec, d) => new SiamSubset(new DatasetSampleSource(d), spec.MaxDiff,
                spec.Ratio == 1 ? -1 : Math.Max(1, (int)Math.Round(spec.Ratio * d.Sequences.Count)))).ToArray();
            var sampler = new SiamPairSampler(subsets, new SiamPairSamplerOptions
            {
                VideosPerEpoch = iterations * Settings.Minibatch,
                Negative = Settings.NegativePairRatio,
                NegativeFromOtherVideo = true,
                Seed = seed,
            });
            var samples = new SiamFCppSampleFunction(sampler, datasets, SiamFCppSampleBuilder.FromSettings(Settings))
            {
                Filter = SiamFCppPairFilter.FromConfig(config),
            };
            var loader = new SampleLoader<SiamFCppTrainingSample>(samples.AsSampleFunction(), new LoaderOptions
            {
                BatchSize = Settings.Minibatch,
                EpochLength = iterations * Settings.Minibatch,
                Workers = Math.Clamp(config.Get("data.num_workers", 1), 1, Environment.ProcessorCount),
                Seed = seed,
            }, log);
            optimizer = new SiamFCppOptimizer(_model, Settings.LrSchedule(), Settings.LrMultipliers, Settings.Sgd);
            if (optimizer.UngroupedParameters.Count > 0)
                log.LogWarning("{Count} parameters are in no lr_multiplier group and will not train, e.g. {Name}",
                    optimizer.UngroupedParameters.Count, optimizer.UngroupedParameters[0]);
            _task = new SiamFCppTrainingTask(_model, optimizer, loader, Settings.Freezer(), loss);
        }
        catch
        {
            optimizer?.Dispose();
            _model.Dispose();
            throw;
        }
        _tensorBoard = new TensorBoardMonitor(request.TensorBoardDirectory);
        _options = request.LoopOptions(epochs, iterations, new CheckpointStore(request.CheckpointDirectory, CheckpointPattern), seed,
            _tensorBoard);
        log.LogInformation("SiamFC++ {Backbone}: {Epochs} epochs x {Iterations} iterations of {Batch} pairs from {Datasets}",
            config.Get<string>("model.backbone.name"), epochs, iterations, Settings.Minibatch,
            string.Join(", ", Datasets.Select(d => $"{d.Name} ({d.Root})")));
    }

    /// <summary>The training settings read from the config.</summary>
    public SiamFCppTrainSettings Settings { get; }

    /// <summary>The datasets of the run.</summary>
    public IReadOnlyList<SiamFCppDatasetSpec> Datasets { get; }

    /// <summary>The model being trained.</summary>
    public SiamFCppModel Model => _model;

    public long TotalSteps => (long)_options.MaxEpoch * _options.IterationsPerEpoch;

    public TrainSummary Run(CancellationToken cancellation) => new TrainingLoop<TensorBatch>(_task, _options).Run(cancellation);

    public void Dispose()
    {
        _task.Dispose();
        _tensorBoard.Dispose();
        _model.Dispose();
    }
}
