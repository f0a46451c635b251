using TrackSharp.Config;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Processing;
using TrackSharp.Data.Sampling;

namespace TrackSharp.Trackers.TrDiMP.Training;

/// <summary>One training dataset of a TrDiMP run (<c>data.train.datasets</c>): its config name (a layout such as
/// <c>lasot</c>, or <c>got10k_SPLIT</c>), layout, folder, sampling ratio and, for a GOT-10k split, the split list it reads.</summary>
public sealed record TrDiMPDatasetSpec(string Name, DatasetFormat Format, string Root, double Ratio)
{
    /// <summary>ltr's <c>data_specs</c> list of a <c>got10k_SPLIT</c> name (null: the whole folder).</summary>
    public string? SplitFile { get; init; }
}

/// <summary>One validation dataset of a TrDiMP run (<c>data.val.datasets</c>): its config name, layout, folder and, for
/// <c>got10k_votval</c>, the GOT-10k split list it reads (null: the whole folder).</summary>
public sealed record TrDiMPValDatasetSpec(string Name, DatasetFormat Format, string Root, string? SplitFile);

/// <summary>
/// The settings of a TrDiMP training run, read once from an <c>ltr</c>-family config
/// (<see cref="ConfigFamily.Ltr"/>, <c>transformer_dimp.py</c> as YAML) and checked; a bad value throws
/// <see cref="ConfigException"/> naming the key and the file (unknown keys and wrong kinds are caught by the loader).
/// </summary>
public sealed record TrDiMPTrainSettings
{
    public required int BatchSize { get; init; }
    public required int Epochs { get; init; }

    /// <summary><c>samples_per_epoch</c>; an epoch is <c>samples_per_epoch // batch_size</c> iterations (<c>drop_last</c>).</summary>
    public required int SamplesPerEpoch { get; init; }

    /// <summary><c>settings.num_workers</c>, clamped to 1 .. processor count.</summary>
    public required int Workers { get; init; }

    /// <summary><c>settings.print_interval</c>: every how many iterations the ltr-style statistics line
    /// (<see cref="TrackSharp.Training.Monitoring.LtrTextMonitor"/>) is logged.</summary>
    public required int PrintInterval { get; init; }

    public required TrDiMPNetConfig Net { get; init; }

    /// <summary><c>model.backbone_pretrained</c>: ImageNet ResNet weights (<c>.pth</c>) for the backbone, or "".</summary>
    public required string BackbonePretrained { get; init; }

    public required TrDiMPLossWeights LossWeights { get; init; }

    /// <summary><c>settings.hinge_threshold</c> of the LBHinge loss.</summary>
    public required double HingeThreshold { get; init; }

    public required IReadOnlyList<TrDiMPParamGroup> ParamGroups { get; init; }
    public required int LrStepSize { get; init; }
    public required double LrGamma { get; init; }

    /// <summary>The <c>DiMPSampler</c>: <see cref="TrackingSampler"/> with train frames as template frames and test
    /// frames as search frames.</summary>
    public required TrackingSamplerOptions Sampler { get; init; }

    public required KlDimpProcessingOptions Processing { get; init; }

    /// <summary><c>data.train.datasets</c> with ratios; the folders are filled in by <see cref="ResolveDatasets"/>.</summary>
    public required IReadOnlyList<TrDiMPDatasetSpec> Datasets { get; init; }

    /// <summary><c>data.train.trackingnet_set_ids</c>: the TrackingNet chunks <c>TRAIN_k</c> read (upstream
    /// <c>set_ids=list(range(4))</c>); empty: every chunk in the folder given.</summary>
    public required IReadOnlyList<int> TrackingNetSetIds { get; init; }

    /// <summary><c>data.val.datasets</c>: names of the validation loader's datasets (<c>got10k_votval</c> as upstream, or a
    /// layout name for a whole folder); the folders are filled in by <see cref="ResolveValDatasets"/>.</summary>
    public required IReadOnlyList<string> ValDatasetNames { get; init; }

    /// <summary><c>data.val.samples_per_epoch</c> (upstream 10000); a validation pass is
    /// <c>samples_per_epoch // batch_size</c> batches (<c>drop_last</c>). 0 turns validation off.</summary>
    public required int ValSamplesPerEpoch { get; init; }

    /// <summary><c>data.val.epoch_interval</c> (upstream 5): ltr's <c>LTRTrainer.train_epoch</c> runs the val loader when
    /// <c>epoch % epoch_interval == 0</c> (1-based epoch).</summary>
    public required int ValEpochInterval { get; init; }

    /// <summary>Iterations per epoch.</summary>
    public int IterationsPerEpoch => SamplesPerEpoch / BatchSize;

    /// <summary>Batches per validation pass.</summary>
    public int ValIterations => ValSamplesPerEpoch / BatchSize;

    /// <summary>The validation crops: <c>transform_val</c> is ToTensor + Normalize (no brightness jitter, no per-frame flip);
    /// the joint transform, the box jitter and the proposals are the training ones, as upstream's <c>data_processing_val</c>.</summary>
    public KlDimpProcessingOptions ValProcessing => Processing with { BrightnessJitter = 0, FlipProbability = 0 };

    /// <summary>The validation sampler: training's, with <c>samples_per_epoch</c> of <c>data.val</c> and its own seed
    /// (the run seed + 1), so its draws never overlap the training stream.</summary>
    public TrackingSamplerOptions ValSampler => Sampler with { SamplesPerEpoch = Math.Max(ValSamplesPerEpoch, 1), Seed = Sampler.Seed + 1 };

    /// <summary>The validation name reading GOT-10k through ltr's <c>votval</c> split list.</summary>
    public const string Got10kVotvalName = "got10k_votval";

    /// <summary>The prefix of a dataset name that reads GOT-10k through one of ltr's split lists
    /// (<c>got10k_vottrain</c>, <c>got10k_votval</c>, <c>got10k_train_full</c>, ...; see <see cref="Got10kSplits"/>).</summary>
    public const string Got10kSplitPrefix = "got10k_";

    /// <summary>The <c>--data</c> name of the folder holding ltr's <c>data_specs</c> split lists (default: the GOT-10k
    /// folder itself). The same name as the OSTrack trainer's.</summary>
    public const string SplitsKey = "got10k_splits";

    public static TrDiMPTrainSettings FromConfig(ExperimentConfig config, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        int Positive(string key)
        {
            int v = config.Get<int>(key);
            return v >= 1 ? v : throw config.Error(key, $"must be at least 1, got {v}");
        }
        double NonNegative(string key)
        {
            double v = config.Get<double>(key);
            return v >= 0 && double.IsFinite(v) ? v : throw config.Error(key, $"must be a finite number >= 0, got {v}");
        }
        double Probability(string key)
        {
            double v = config.Get<double>(key);
            return v is >= 0 and <= 1 ? v : throw config.Error(key, $"must be a probability in [0, 1], got {v}");
        }
        (double, double) Pair(string key) => PairOf(key, config.Get<double[]>(key));
        (double, double) PairOf(string key, double[] v)
        {
            return v.Length == 2 && v.All(x => x > 0 && double.IsFinite(x)) ? (v[0], v[1])
                : throw config.Error(key, $"expected two numbers > 0 (centre, size), got [{string.Join(", ", v)}]");
        }
        (int, int) IntPair(string key)
        {
            var v = config.Get<int[]>(key);
            return v.Length == 2 && v.All(x => x >= 1) ? (v[0], v[1]) : throw config.Error(key, $"expected two ints >= 1, got [{string.Join(", ", v)}]");
        }

        int batch = Positive("settings.batch_size");
        int samples = Positive("data.train.samples_per_epoch");
        if (samples < batch)
            throw config.Error("data.train.samples_per_epoch", $"{samples} samples make no batch of settings.batch_size {batch}");
        int outputSize = Positive("settings.output_sz");
        if (outputSize % TrDiMPNetConfig.FeatureStride != 0)
            throw config.Error("settings.output_sz", $"must be a multiple of the feature stride {TrDiMPNetConfig.FeatureStride}, got {outputSize}");
        int featureSize = Positive("settings.feature_sz");
        if (featureSize * TrDiMPNetConfig.FeatureStride != outputSize)
            throw config.Error("settings.feature_sz", $"must be settings.output_sz / {TrDiMPNetConfig.FeatureStride} = " +
                                                      $"{outputSize / TrDiMPNetConfig.FeatureStride}, got {featureSize}");
        int filterSize = Positive("settings.target_filter_sz");
        if (config.Get<int>("model.filter_size") != filterSize)
            throw config.Error("model.filter_size", $"must equal settings.target_filter_sz ({filterSize}), got {config.Get<int>("model.filter_size")}");

        string mode = config.Get<string>("data.frame_sample_mode");
        var sampleMode = mode switch
        {
            "causal" => FrameSampleMode.Causal,
            "interval" => FrameSampleMode.Interval,
            _ => throw config.Error("data.frame_sample_mode", $"'{mode}' is not one of causal, interval"),
        };
        string cropType = config.Get<string>("data.crop_type");
        var cropMode = cropType switch
        {
            "replicate" => DimpCropMode.Replicate,
            "inside" => DimpCropMode.Inside,
            "inside_major" => DimpCropMode.InsideMajor,
            _ => throw config.Error("data.crop_type", $"'{cropType}' is not one of replicate, inside, inside_major"),
        };
        string backbone = config.Get<string>("model.backbone");
        bool resnet50 = backbone switch
        {
            "resnet50" => true,
            "resnet_baby" => false,
            _ => throw config.Error("model.backbone", $"'{backbone}' is not one of resnet50, resnet_baby"),
        };
        var frozen = config.Get<string[]>("model.frozen_backbone_layers");
        string[] layers = ["conv1", "bn1", "layer1", "layer2", "layer3", "layer4"];
        foreach (var layer in frozen)
            if (!layers.Contains(layer))
                throw config.Error("model.frozen_backbone_layers", $"'{layer}' is not a backbone layer ({string.Join(", ", layers)})");
        if (frozen.Contains("layer3"))
            throw config.Error("model.frozen_backbone_layers", "layer3 is trained (its own Adam group); it cannot be frozen");

        var mean = config.Get<float[]>("settings.normalize_mean");
        var std = config.Get<float[]>("settings.normalize_std");
        if (mean.Length != 3) throw config.Error("settings.normalize_mean", $"expected 3 values (RGB), got {mean.Length}");
        if (std.Length != 3 || std.Any(s => !(s > 0))) throw config.Error("settings.normalize_std", "expected 3 values > 0 (RGB)");
        var sigmas = config.Get<double[][]>("data.proposals.proposal_sigma").Select(p => PairOf("data.proposals.proposal_sigma", p)).ToList();
        if (sigmas.Count == 0) throw config.Error("data.proposals.proposal_sigma", "needs at least one (centre, size) pair");

        var names = config.Get<string[]>("data.train.datasets");
        if (names.Length == 0) throw config.Error("data.train.datasets", "no training dataset listed");
        var ratios = config.Get<double[]>("data.train.ratios");
        var weights = DatasetRatios.Resolve(names, ratios);
        var datasets = new List<TrDiMPDatasetSpec>();
        for (int i = 0; i < names.Length; i++)
        {
            DatasetFormat format;
            try { format = ParseDatasetName(names[i]).Format; }
            catch (ArgumentException e) { throw config.Error("data.train.datasets", e.Message); }
            datasets.Add(new TrDiMPDatasetSpec(names[i], format, "", weights[i]));
        }
        var setIds = config.Get<int[]>("data.train.trackingnet_set_ids");
        foreach (int id in setIds)
            if (id is < 0 or >= TrackingNetChunks.Count)
                throw config.Error("data.train.trackingnet_set_ids", $"{id} is not a TrackingNet training chunk (TRAIN_0 .. TRAIN_{TrackingNetChunks.Count - 1})");
        if (setIds.Distinct().Count() != setIds.Length)
            throw config.Error("data.train.trackingnet_set_ids", $"a chunk is listed twice: [{string.Join(", ", setIds)}]");

        var valNames = config.Get<string[]>("data.val.datasets");
        foreach (var name in valNames)
        {
            try { ParseDatasetName(name); }
            catch (ArgumentException e) { throw config.Error("data.val.datasets", e.Message); }
        }
        int valSamples = config.Get<int>("data.val.samples_per_epoch");
        if (valSamples < 0) throw config.Error("data.val.samples_per_epoch", $"must be >= 0 (0: no validation), got {valSamples}");
        if (valSamples > 0 && valSamples < batch)
            throw config.Error("data.val.samples_per_epoch", $"{valSamples} samples make no batch of settings.batch_size {batch} (0 turns validation off)");

        var cfg = new TrDiMPNetConfig
        {
            ResNet50Backbone = resnet50,
            BackboneInplanes = Positive("model.backbone_inplanes"),
            FilterSize = filterSize,
            OutFeatureDim = Positive("model.out_feature_dim"),
            OptimIter = Positive("model.optim_iter"),
            OptimInitStep = config.Get<double>("model.optim_init_step"),
            OptimInitReg = config.Get<double>("model.optim_init_reg"),
            InitGaussSigma = NonNegative("model.init_gauss_sigma"),
            NumDistBins = Positive("model.num_dist_bins"),
            BinDisplacement = config.Get<double>("model.bin_displacement"),
            MaskInitFactor = config.Get<double>("model.mask_init_factor"),
            IouInputDim = IntPair("model.iou_input_dim"),
            IouInterDim = IntPair("model.iou_inter_dim"),
            FrozenBackboneLayers = frozen,
        };

        return new TrDiMPTrainSettings
        {
            BatchSize = batch,
            Epochs = Positive("trainer.epochs"),
            SamplesPerEpoch = samples,
            Workers = Math.Clamp(Positive("settings.num_workers"), 1, Environment.ProcessorCount),
            PrintInterval = Positive("settings.print_interval"),
            Net = cfg,
            BackbonePretrained = config.Get<string>("model.backbone_pretrained"),
            LossWeights = new TrDiMPLossWeights(NonNegative("loss_weight.bb_ce"), NonNegative("loss_weight.test_clf"),
                NonNegative("loss_weight.test_init_clf"), NonNegative("loss_weight.test_iter_clf")),
            HingeThreshold = config.Get<double>("settings.hinge_threshold"),
            ParamGroups =
            [
                new("classifier.filter_initializer", NonNegative("optimizer.lr_filter_initializer")),
                new("classifier.filter_optimizer", NonNegative("optimizer.lr_filter_optimizer")),
                new("classifier.feature_extractor", NonNegative("optimizer.lr_classifier_features")),
                new("classifier.transformer", NonNegative("optimizer.lr_transformer")),
                new("bb_regressor", NonNegative("optimizer.lr_bb_regressor")),
                new("feature_extractor.layer3", NonNegative("optimizer.lr_layer3")),
            ],
            LrStepSize = Positive("optimizer.step_size"),
            LrGamma = NonNegative("optimizer.gamma"),
            Sampler = new TrackingSamplerOptions
            {
                SamplesPerEpoch = samples,
                MaxSampleInterval = Positive("data.max_gap"),
                TemplateFrames = Positive("data.num_train_frames"),
                SearchFrames = Positive("data.num_test_frames"),
                Mode = sampleMode,
                Seed = seed,
            },
            Processing = new KlDimpProcessingOptions
            {
                SearchAreaFactor = NonNegative("settings.search_area_factor"),
                OutputSize = outputSize,
                CenterJitter = (NonNegative("settings.center_jitter_factor.train"), NonNegative("settings.center_jitter_factor.test")),
                ScaleJitter = (NonNegative("settings.scale_jitter_factor.train"), NonNegative("settings.scale_jitter_factor.test")),
                CropMode = cropMode,
                MaxScaleChange = config.Get<double>("data.max_scale_change") is var msc && msc >= 1 ? msc
                    : throw config.Error("data.max_scale_change", "must be >= 1"),
                GrayscaleProbability = Probability("data.grayscale_probability"),
                JointFlipProbability = Probability("data.joint_flip_probability"),
                BrightnessJitter = NonNegative("data.brightness_jitter"),
                FlipProbability = Probability("data.flip_probability"),
                Mean = mean,
                Std = std,
                ProposalsPerFrame = Positive("data.proposals.boxes_per_frame"),
                ProposalSigma = sigmas,
                GroundTruthSigma = Pair("data.proposals.gt_sigma"),
                KernelSize = filterSize,
                OutputSigmaFactor = NonNegative("settings.output_sigma_factor"),
            },
            Datasets = datasets,
            TrackingNetSetIds = setIds,
            ValDatasetNames = valNames,
            ValSamplesPerEpoch = valSamples,
            ValEpochInterval = Positive("data.val.epoch_interval"),
        };
    }

    /// <summary>
    /// The validation datasets with their folders from <c>--data NAME=PATH</c> under their own name (e.g.
    /// <c>--data got10k_votval=/data/GOT-10k/train</c>); <c>got10k_votval</c> reads ltr's
    /// <c>got10k_vot_val_split.txt</c> from <c>--data got10k_splits=FOLDER</c>, else from the GOT-10k folder. An empty list
    /// (a listed dataset without a folder, none listed, or <c>data.val.samples_per_epoch</c> 0) means no validation, as ltr
    /// without a val loader: the trainer logs that it is off.
    /// </summary>
    public IReadOnlyList<TrDiMPValDatasetSpec> ResolveValDatasets(IReadOnlyDictionary<string, string> dataRoots)
    {
        ArgumentNullException.ThrowIfNull(dataRoots);
        if (ValIterations == 0 || ValDatasetNames.Count == 0) return [];
        var result = new List<TrDiMPValDatasetSpec>();
        foreach (var name in ValDatasetNames)
        {
            string? root = RootOf(dataRoots, name);
            if (string.IsNullOrEmpty(root)) return [];
            var (format, split) = ParseDatasetName(name);
            result.Add(new TrDiMPValDatasetSpec(name, format, root, split is null ? null : Got10kSplits.PathOf(split, RootOf(dataRoots, SplitsKey) ?? root)));
        }
        return result;
    }

    /// <summary>
    /// The datasets with their folders from <c>--data NAME=PATH</c>: NAME is the listed name (case-insensitive) or its
    /// layout, so <c>--data got10k=/data/GOT-10k/train</c> serves <c>got10k_vottrain</c> too. A <c>got10k_SPLIT</c> name
    /// reads ltr's split list from <c>--data got10k_splits=FOLDER</c>, else from the GOT-10k folder.
    /// </summary>
    /// <exception cref="ArgumentException">A listed dataset without a folder (the message names <c>--data NAME=PATH</c>).</exception>
    public IReadOnlyList<TrDiMPDatasetSpec> ResolveDatasets(IReadOnlyDictionary<string, string> dataRoots)
    {
        ArgumentNullException.ThrowIfNull(dataRoots);
        var result = new List<TrDiMPDatasetSpec>();
        foreach (var spec in Datasets)
        {
            string? root = RootOf(dataRoots, spec.Name);
            if (string.IsNullOrEmpty(root)) root = dataRoots.FirstOrDefault(d => IsFormat(d.Key, spec.Format)).Value;
            if (string.IsNullOrEmpty(root))
                throw new ArgumentException($"training dataset '{spec.Name}' (data.train.datasets) has no folder: give --data {spec.Name}=PATH " +
                                            "or remove it from the list (e.g. data.train.datasets=[got10k])");
            string? split = ParseDatasetName(spec.Name).Got10kSplit;
            result.Add(spec with { Root = root, SplitFile = split is null ? null : Got10kSplits.PathOf(split, RootOf(dataRoots, SplitsKey) ?? root) });
        }
        return result;
    }

    /// <summary>A dataset name of <c>data.train.datasets</c> / <c>data.val.datasets</c>: a layout (<c>lasot</c>,
    /// <c>got10k</c>, ...: the whole folder) or <c>got10k_SPLIT</c> (GOT-10k through ltr's split list SPLIT).</summary>
    /// <exception cref="ArgumentException">Neither; the message lists both kinds.</exception>
    public static (DatasetFormat Format, string? Got10kSplit) ParseDatasetName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string n = name.Trim().ToLowerInvariant();
        if (n.StartsWith(Got10kSplitPrefix, StringComparison.Ordinal) && Got10kSplits.Files.ContainsKey(n[Got10kSplitPrefix.Length..]))
            return (DatasetFormat.Got10k, n[Got10kSplitPrefix.Length..]);
        try { return (DatasetFormats.Parse(name), null); }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{name}' is neither a GOT-10k split ({string.Join(", ", Got10kSplits.Files.Keys.Select(k => Got10kSplitPrefix + k))}) " +
                                        $"nor a dataset layout: {e.Message}");
        }
    }

    /// <summary>The folder given as <c>--data KEY=PATH</c> (KEY case-insensitive), or null.</summary>
    private static string? RootOf(IReadOnlyDictionary<string, string> dataRoots, string key) =>
        dataRoots.FirstOrDefault(d => string.Equals(d.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

    private static bool IsFormat(string key, DatasetFormat format)
    {
        try { return DatasetFormats.Parse(key) == format; }
        catch (ArgumentException) { return false; }
    }
}
