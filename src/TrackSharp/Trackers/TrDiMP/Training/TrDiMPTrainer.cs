using Microsoft.Extensions.Logging;
using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Processing;
using TrackSharp.Data.Sampling;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP.Training;

/// <summary>
/// A TrDiMP/TrSiam training run from an <c>ltr</c>-family config (<c>transformer_dimp.py</c> as YAML, see
/// <see cref="ConfigFamily.Ltr"/>): the <see cref="TrDiMPNet"/> of <c>model.*</c> (seeded initialisation, then
/// <c>model.backbone_pretrained</c> as ImageNet ResNet weights when set; conv1, bn1, layer1, layer2 frozen in eval mode),
/// <c>DiMPSampler</c> samples (<see cref="TrackingSampler"/>, train frames as templates, test frames as searches) over the
/// configured datasets processed by <see cref="KlDimpProcessing"/>, the <see cref="TrDiMPActor"/> (KL box loss + LBHinge),
/// Adam with six groups and StepLR (<see cref="TrDiMPOptimizer"/>); <c>trainer.epochs</c> epochs (or <c>--epochs</c>) of
/// <c>samples_per_epoch // batch_size</c> iterations; a checkpoint <c>DiMPnet_ep{NNNN}.pth.tar</c> after every epoch in
/// ltr's layout (<c>{'net': state_dict, 'epoch', 'net_type', 'actor_type'}</c>, see <see cref="LtrCheckpointFile"/>), as
/// ltr's <c>BaseTrainer</c> saves; TensorBoard scalars in <c>logs/tensorboard</c>. The validation loader of
/// <c>transformer_dimp.py</c> (<c>data.val</c>: GOT-10k votval, <c>samples_per_epoch // batch_size</c> batches every
/// <c>epoch_interval</c> epochs, <c>transform_val</c> crops, eval mode, no gradient) runs when its folder is given
/// (<c>--data got10k_votval=PATH</c>); its lines read <c>[val: N, i / n]</c> and its epoch means go to
/// <c>logs/tensorboard/val</c>.
/// </summary>
public sealed class TrDiMPTrainer : ITrainer
{
    /// <summary>ltr's checkpoint names (<c>{net_type}_ep{epoch:04d}.pth.tar</c>, net type <c>DiMPnet</c>).</summary>
    public const string CheckpointPattern = "DiMPnet_ep{epoch1:0000}.pth.tar";

    /// <summary>ltr's <c>net_type</c> and <c>actor_type</c> of a TrDiMP checkpoint (<c>{'net': state_dict, 'epoch': N,
    /// 'net_type': 'DiMPnet', 'actor_type': 'KLDiMPActor'}</c>, written by <see cref="LtrCheckpointFile"/>).</summary>
    public const string NetType = "DiMPnet", ActorType = "KLDiMPActor";

    private readonly TrDiMPNet _net;
    private readonly TrDiMPTrainingTask _task;
    private readonly TensorBoardMonitor _tensorBoard;
    private readonly LtrTextMonitor _ltrText;
    private readonly LtrTextMonitor? _valText;
    private readonly ValidationTensorBoard? _valBoard;
    private readonly TrainingLoopOptions _options;

    public TrDiMPTrainer(TrainRequest request, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var log = request.Logger;
        Settings = TrDiMPTrainSettings.FromConfig(config, seed);
        int epochs = request.Epochs ?? Settings.Epochs;
        Datasets = Settings.ResolveDatasets(request.DataRoots);
        ValDatasets = Settings.ResolveValDatasets(request.DataRoots);
        var datasets = Open(Datasets);
        var valDatasets = OpenVal(ValDatasets);

        manual_seed(seed);
        _net = new TrDiMPNet(Settings.Net);
        TrDiMPOptimizer? optimizer = null;
        try
        {
            LoadPretrained(config, log);
            _net.SetTrainMode(true);
            optimizer = new TrDiMPOptimizer(_net, Settings.ParamGroups, Settings.LrStepSize, Settings.LrGamma);
            var actor = new TrDiMPActor(_net, Settings.LossWeights, new LBHingeLoss(Settings.HingeThreshold));
            var valLoader = valDatasets.Count == 0 ? null
                : Loader(valDatasets, [.. valDatasets.Select(_ => 1.0)], Settings.ValSampler, Settings.ValProcessing, Settings.ValIterations,
                    Settings, log);
            _task = new TrDiMPTrainingTask(actor, optimizer, Loader(datasets, [.. Settings.Datasets.Select(s => s.Ratio)], Settings.Sampler,
                Settings.Processing, Settings.IterationsPerEpoch, Settings, log), valLoader, Settings.ValEpochInterval);
        }
        catch
        {
            optimizer?.Dispose();
            _net.Dispose();
            throw;
        }
        _tensorBoard = new TensorBoardMonitor(request.TensorBoardDirectory);
        _ltrText = new LtrTextMonitor(line => log.LogInformation("{Line}", line), Settings.PrintInterval, Settings.BatchSize,
                                      printTimes: false);
        if (valDatasets.Count > 0)
        {
            _valBoard = new ValidationTensorBoard(request.TensorBoardDirectory, Settings.IterationsPerEpoch);
            _valText = new LtrTextMonitor(line => log.LogInformation("{Line}", line), Settings.PrintInterval, Settings.BatchSize,
                printTimes: false, loaderName: "val");
            _task.ValidationBatch = _valText.Update;
            _task.Validated = _valBoard.Write;
        }
        else
        {
            log.LogInformation("TrDiMP validation off: {Reason}", Settings.ValIterations == 0 ? "data.val.samples_per_epoch is 0"
                : $"no folder for data.val.datasets [{string.Join(", ", Settings.ValDatasetNames)}] (give --data " +
                  $"{Settings.ValDatasetNames.FirstOrDefault() ?? TrDiMPTrainSettings.Got10kVotvalName}=PATH)");
        }
        var checkpoints = new CheckpointStore(request.CheckpointDirectory, new CheckpointNamePattern(CheckpointPattern))
        {
            WeightsWriter = (net, stream, epoch) => LtrCheckpointFile.Write(stream, net, epoch + 1, NetType, ActorType),
        };
        _options = request.LoopOptions(epochs, Settings.IterationsPerEpoch, checkpoints, seed, _ltrText, _tensorBoard);
        log.LogInformation("TrDiMP ({Backbone}, {Dim}-d): {Epochs} epochs x {Iterations} iterations of {Batch} sequences " +
                           "({Train} train + {Test} test frames, {Size} px crops) from {Datasets}",
            Settings.Net.ResNet50Backbone ? "ResNet-50" : "resnet_baby", Settings.Net.OutFeatureDim, epochs, Settings.IterationsPerEpoch,
            Settings.BatchSize, Settings.Sampler.TemplateFrames, Settings.Sampler.SearchFrames, Settings.Processing.OutputSize,
            string.Join(", ", Datasets.Zip(datasets, (d, opened) => $"{d.Name} ({d.Root}, {opened.Sequences.Count} sequences)")));
        if (_valBoard is not null)
            log.LogInformation("TrDiMP validation: {Batches} batches every {Interval} epochs on {Datasets}", Settings.ValIterations,
                Settings.ValEpochInterval, string.Join(", ", ValDatasets.Select(d => $"{d.Name} ({d.Root})")));
    }

    public TrDiMPTrainSettings Settings { get; }

    public IReadOnlyList<TrDiMPDatasetSpec> Datasets { get; }

    /// <summary>The validation datasets with folders; empty when validation is off.</summary>
    public IReadOnlyList<TrDiMPValDatasetSpec> ValDatasets { get; }

    public TrDiMPNet Net => _net;

    public long TotalSteps => (long)_options.MaxEpoch * _options.IterationsPerEpoch;

    public TrainSummary Run(CancellationToken cancellation)
    {
        var summary = new TrainingLoop<TrDiMPTrainingBatch>(_task, _options).Run(cancellation);
        if (summary.Finished) _task.ValidateIfDue(_options.MaxEpoch);
        return summary;
    }

    private void LoadPretrained(ExperimentConfig config, ILogger log)
    {
        const string key = "model.backbone_pretrained";
        string path = Settings.BackbonePretrained;
        if (path.Length == 0) return;
        if (!File.Exists(path))
            throw config.Error(key, $"ImageNet backbone weights '{path}' not found (give a .pth path, or '' to start from random weights)");
        using var weights = StateDict.Load(path);
        var report = weights.LoadInto(_net.Backbone, strict: false);
        if (report.Matched.Count == 0)
            throw config.Error(key, $"'{path}' holds no tensor of the backbone: {report.Describe()}");
        log.LogInformation("{Key}: loaded {Count} backbone tensors from {Path}", key, report.Matched.Count, path);
        if (!report.IsExactMatch) log.LogInformation("{Key}: {Report}", key, report.Describe());
    }

    /// <summary>Opens every training dataset (lazily) and fails on a missing folder or one without sequences.</summary>
    private IReadOnlyList<ISequenceDataset> Open(IReadOnlyList<TrDiMPDatasetSpec> specs) =>
        specs.Select(s => OpenOne("training dataset", s.Name, s.Format, s.Root, s.SplitFile, Settings.TrackingNetSetIds)).ToList();

    /// <summary>Opens the validation datasets, e.g. <c>got10k_votval</c> through its split list.</summary>
    private static IReadOnlyList<ISequenceDataset> OpenVal(IReadOnlyList<TrDiMPValDatasetSpec> specs) =>
        specs.Select(s => OpenOne("validation dataset", s.Name, s.Format, s.Root, s.SplitFile, [])).ToList();

    /// <summary>One dataset, read lazily: a GOT-10k split through its list (a missing list is an error naming the file
    /// and the <c>--data</c> key that sets its folder), TrackingNet restricted to <paramref name="trackingNetSetIds"/>
    /// (empty: every chunk).</summary>
    private static ISequenceDataset OpenOne(string role, string name, DatasetFormat format, string root, string? splitFile,
        IReadOnlyList<int> trackingNetSetIds)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"{role} '{name}': folder '{root}' does not exist (set it with --data {name}=PATH)");
        var dataset = DatasetReader.Open(root, format);
        if (splitFile is not null)
        {
            if (!File.Exists(splitFile))
                throw new FileNotFoundException($"{role} '{name}': GOT-10k split list '{splitFile}' not found; give the folder " +
                                                $"holding ltr's data_specs files with --data {TrDiMPTrainSettings.SplitsKey}=FOLDER (or put the file in the GOT-10k folder)", splitFile);
            dataset = Got10kSplits.Select(dataset, splitFile);
        }
        if (format == DatasetFormat.TrackingNet && trackingNetSetIds.Count > 0)
        {
            var whole = dataset;
            dataset = TrackingNetChunks.Select(whole, [.. trackingNetSetIds]);
            if (dataset.Sequences.Count == 0 && TrackingNetChunks.ChunksIn(whole) is var chunks)
                throw new DatasetFormatException(root, null,
                    $"{role} '{name}': no sequence in chunks {string.Join(", ", trackingNetSetIds.Select(id => $"TRAIN_{id}"))} " +
                    $"(data.train.trackingnet_set_ids); this folder has {(chunks.Count == 0 ? "none" : string.Join(", ", chunks))}. " +
                    "data.train.trackingnet_set_ids=[] reads every chunk given");
        }
        if (dataset.Sequences.Count == 0)
            throw new DatasetFormatException(root, null, $"{role} '{name}' has no sequences");
        return dataset;
    }

    /// <summary>A deterministic loader of <paramref name="iterations"/> batches per epoch.</summary>
    private static SampleLoader<KlDimpSample> Loader(IReadOnlyList<ISequenceDataset> datasets, IReadOnlyList<double> ratios,
        TrackingSamplerOptions samplerOptions, KlDimpProcessingOptions processingOptions, int iterations, TrDiMPTrainSettings settings, ILogger log)
    {
        var sampler = new TrackingSampler(datasets.Select(d => (ISampleSource)new DatasetSampleSource(d)).ToList(), [.. ratios], samplerOptions);
        var processing = new KlDimpProcessing(processingOptions);
        SampleFunction<KlDimpSample> sample = context =>
        {
            var s = sampler.Sample(context.Epoch, context.Index, context.Attempt);
            var sequence = datasets[s.DatasetIndex].Sequences[s.SequenceIndex];
            return processing.Process(sequence, s.TemplateFrames, s.SearchFrames, context.Random);
        };
        return new SampleLoader<KlDimpSample>(sample, new LoaderOptions
        {
            BatchSize = settings.BatchSize,
            EpochLength = iterations * settings.BatchSize,
            Workers = settings.Workers,
            Prefetch = 2 * settings.Workers,
            Seed = samplerOptions.Seed,
        }, log);
    }

    public void Dispose()
    {
        _task.Dispose();
        _tensorBoard.Dispose();
        _ltrText.Dispose();
        _valText?.Dispose();
        _valBoard?.Dispose();
        _net.Dispose();
    }
}
