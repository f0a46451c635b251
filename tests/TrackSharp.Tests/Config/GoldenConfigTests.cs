using Xunit;
using TrackSharp.Config;

namespace TrackSharp.Tests.Config;

/// <summary>Each golden config loads as it is; expected values were read by hand from the files.</summary>
public class GoldenConfigTests
{
    [Fact]
    public void OSTrackSmall_LoadsWithFileValuesAndDefaults()
    {
        // golden/ostrack_small/config.yaml
        var cfg = ConfigFamily.OSTrack.Load(ConfigTestFiles.Golden("ostrack_small/config.yaml"));
        Assert.Equal(200, cfg.Get<int>("DATA.MAX_SAMPLE_INTERVAL"));
        Assert.Equal([0.485, 0.456, 0.406], cfg.Get<double[]>("DATA.MEAN"));
        Assert.Equal([0.229, 0.224, 0.225], cfg.Get<double[]>("DATA.STD"));
        Assert.Equal(3.0, cfg.Get<double>("DATA.SEARCH.CENTER_JITTER")); // int 3 into a float key
        Assert.Equal(4.0, cfg.Get<double>("DATA.SEARCH.FACTOR"));
        Assert.Equal(0.25, cfg.Get<double>("DATA.SEARCH.SCALE_JITTER"));
        Assert.Equal(256, cfg.Get<int>("DATA.SEARCH.SIZE"));
        Assert.Equal(1, cfg.Get<int>("DATA.SEARCH.NUMBER"));
        Assert.Equal(0.0, cfg.Get<double>("DATA.TEMPLATE.SCALE_JITTER"));
        Assert.Equal(128, cfg.Get<int>("DATA.TEMPLATE.SIZE"));
        Assert.Equal(["GOT10K_vottrain"], cfg.Get<string[]>("DATA.TRAIN.DATASETS_NAME"));
        Assert.Equal([1.0], cfg.Get<double[]>("DATA.TRAIN.DATASETS_RATIO"));
        Assert.Equal(2, cfg.Get<int>("DATA.TRAIN.SAMPLE_PER_EPOCH"));
        Assert.Equal(["GOT10K_votval"], cfg.Get<string[]>("DATA.VAL.DATASETS_NAME"));
        Assert.Equal("", cfg.Get<string>("MODEL.PRETRAIN_FILE"));
        Assert.False(cfg.Get<bool>("MODEL.EXTRA_MERGER"));
        Assert.Equal("vit_base_patch16_224_ce", cfg.Get<string>("MODEL.BACKBONE.TYPE"));
        Assert.Equal(64, cfg.Get<int>("MODEL.BACKBONE.EMBED_DIM"));
        Assert.Equal(4, cfg.Get<int>("MODEL.BACKBONE.DEPTH"));
        Assert.Equal(4, cfg.Get<int>("MODEL.BACKBONE.NUM_HEADS"));
        Assert.Equal(4.0, cfg.Get<double>("MODEL.BACKBONE.MLP_RATIO"));
        Assert.Equal([1, 2], cfg.Get<int[]>("MODEL.BACKBONE.CE_LOC"));
        Assert.Equal([0.7, 0.7], cfg.Get<double[]>("MODEL.BACKBONE.CE_KEEP_RATIO"));
        Assert.Equal("CTR_POINT", cfg.Get<string>("MODEL.BACKBONE.CE_TEMPLATE_RANGE"));
        Assert.Equal("CENTER", cfg.Get<string>("MODEL.HEAD.TYPE"));
        Assert.Equal(32, cfg.Get<int>("MODEL.HEAD.NUM_CHANNELS"));
        Assert.Equal(0.1, cfg.Get<double>("TRAIN.DROP_PATH_RATE"));
        Assert.Equal(2, cfg.Get<int>("TRAIN.CE_START_EPOCH"));
        Assert.Equal(4, cfg.Get<int>("TRAIN.CE_WARM_EPOCH"));
        Assert.Equal(2, cfg.Get<int>("TRAIN.BATCH_SIZE"));
        Assert.Equal(0.0004, cfg.Get<double>("TRAIN.LR"));
        Assert.Equal(8, cfg.Get<int>("TRAIN.LR_DROP_EPOCH"));
        Assert.Equal("ADAMW", cfg.Get<string>("TRAIN.OPTIMIZER"));
        Assert.Equal("step", cfg.Get<string>("TRAIN.SCHEDULER.TYPE"));
        Assert.Equal(0.1, cfg.Get<double>("TRAIN.SCHEDULER.DECAY_RATE"));
        Assert.Equal(0.0001, cfg.Get<double>("TRAIN.WEIGHT_DECAY"));
        Assert.False(cfg.Get<bool>("TRAIN.AMP"));
        Assert.Equal(10, cfg.Get<int>("TEST.EPOCH"));
        Assert.Equal(4.0, cfg.Get<double>("TEST.SEARCH_FACTOR"));
        Assert.Equal(128, cfg.Get<int>("TEST.TEMPLATE_SIZE"));
        // not in the file: OSTrack's defaults
        Assert.Equal("direct", cfg.Get<string>("MODEL.BACKBONE.CAT_MODE"));
        Assert.Equal("causal", cfg.Get<string>("DATA.SAMPLER_MODE"));
        Assert.Equal([0], cfg.Get<int[]>("TRAIN.FREEZE_LAYERS"));
        // Not in the golden file: OSTrack's default (lib/config/ostrack/config.py).
        Assert.Equal(new[] { 2, 5, 8, 11 }, cfg.Get<int[]>("MODEL.RETURN_STAGES"));
        Assert.Equal(ConfigSourceKind.Defaults, cfg.Node("DATA.SAMPLER_MODE").Source.Kind);
        Assert.Equal(65, cfg.Node("TRAIN.LR").Source.Line); // 1-based line of "LR: 0.0004"
    }

    [Fact]
    public void OSTrackSchema_HasTheUpstreamKeys()
    {
        var schema = ConfigFamily.OSTrack.Schema().ToDictionary(e => e.Path, e => e.Kind);
        string[] keys =
        [
            "MODEL.PRETRAIN_FILE", "MODEL.EXTRA_MERGER", "MODEL.RETURN_INTER", "MODEL.RETURN_STAGES",
            "MODEL.BACKBONE.TYPE", "MODEL.BACKBONE.STRIDE", "MODEL.BACKBONE.MID_PE", "MODEL.BACKBONE.SEP_SEG",
            "MODEL.BACKBONE.CAT_MODE", "MODEL.BACKBONE.MERGE_LAYER", "MODEL.BACKBONE.ADD_CLS_TOKEN",
            "MODEL.BACKBONE.CLS_TOKEN_USE_MODE", "MODEL.BACKBONE.CE_LOC", "MODEL.BACKBONE.CE_KEEP_RATIO",
            "MODEL.BACKBONE.CE_TEMPLATE_RANGE", "MODEL.HEAD.TYPE", "MODEL.HEAD.NUM_CHANNELS",
            "TRAIN.LR", "TRAIN.WEIGHT_DECAY", "TRAIN.EPOCH", "TRAIN.LR_DROP_EPOCH", "TRAIN.BATCH_SIZE", "TRAIN.NUM_WORKER",
            "TRAIN.OPTIMIZER", "TRAIN.BACKBONE_MULTIPLIER", "TRAIN.GIOU_WEIGHT", "TRAIN.L1_WEIGHT", "TRAIN.FREEZE_LAYERS",
            "TRAIN.PRINT_INTERVAL", "TRAIN.VAL_EPOCH_INTERVAL", "TRAIN.GRAD_CLIP_NORM", "TRAIN.AMP", "TRAIN.CE_START_EPOCH",
            "TRAIN.CE_WARM_EPOCH", "TRAIN.DROP_PATH_RATE", "TRAIN.SCHEDULER.TYPE", "TRAIN.SCHEDULER.DECAY_RATE",
            "DATA.SAMPLER_MODE", "DATA.MEAN", "DATA.STD", "DATA.MAX_SAMPLE_INTERVAL",
            "DATA.TRAIN.DATASETS_NAME", "DATA.TRAIN.DATASETS_RATIO", "DATA.TRAIN.SAMPLE_PER_EPOCH",
            "DATA.VAL.DATASETS_NAME", "DATA.VAL.DATASETS_RATIO", "DATA.VAL.SAMPLE_PER_EPOCH",
            "DATA.SEARCH.SIZE", "DATA.SEARCH.FACTOR", "DATA.SEARCH.CENTER_JITTER", "DATA.SEARCH.SCALE_JITTER", "DATA.SEARCH.NUMBER",
            "DATA.TEMPLATE.SIZE", "DATA.TEMPLATE.FACTOR", "DATA.TEMPLATE.CENTER_JITTER", "DATA.TEMPLATE.SCALE_JITTER",
            "DATA.TEMPLATE.NUMBER", "TEST.TEMPLATE_FACTOR", "TEST.TEMPLATE_SIZE", "TEST.SEARCH_FACTOR", "TEST.SEARCH_SIZE", "TEST.EPOCH",
        ];
        Assert.All(keys, k => Assert.True(schema.ContainsKey(k), k));
        Assert.Equal(ConfigKind.Int, schema["TRAIN.BATCH_SIZE"]);
        Assert.Equal(ConfigKind.Float, schema["TRAIN.LR"]);
        Assert.Equal(ConfigKind.Bool, schema["TRAIN.AMP"]);
        Assert.Equal(ConfigKind.String, schema["TRAIN.OPTIMIZER"]);
        Assert.Equal(ConfigKind.List, schema["DATA.MEAN"]);
        Assert.Equal(ConfigKind.Map, schema["TRAIN.SCHEDULER"]);
    }

    [Fact]
    public void SiamBanSmall_Loads()
    {
        // golden/siamban_small/config.yaml
        var cfg = ConfigFamily.SiamBan.Load(ConfigTestFiles.Golden("siamban_small/config.yaml"));
        Assert.Equal("siamban_r50_l234_small", cfg.Get<string>("META_ARC"));
        Assert.Equal("resnet50_narrow", cfg.Get<string>("BACKBONE.TYPE"));
        Assert.Equal([2, 3, 4], cfg.Get<int[]>("BACKBONE.KWARGS.used_layers"));   // open KWARGS
        Assert.Equal(4, cfg.Get<int>("BACKBONE.KWARGS.width"));
        Assert.Equal(["layer2", "layer3", "layer4"], cfg.Get<string[]>("BACKBONE.TRAIN_LAYERS"));
        Assert.Equal(0.1, cfg.Get<double>("BACKBONE.LAYERS_LR"));
        Assert.True(cfg.Get<bool>("ADJUST.ADJUST"));
        Assert.Equal([32, 64, 128], cfg.Get<int[]>("ADJUST.KWARGS.in_channels"));
        Assert.Equal([32, 32, 32], cfg.Get<int[]>("ADJUST.KWARGS.out_channels"));
        Assert.True(cfg.Get<bool>("BAN.BAN"));
        Assert.Equal("MultiBAN", cfg.Get<string>("BAN.TYPE"));
        Assert.Equal(2, cfg.Get<int>("BAN.KWARGS.cls_out_channels"));
        Assert.True(cfg.Get<bool>("BAN.KWARGS.weighted"));
        Assert.Equal(8, cfg.Get<int>("POINT.STRIDE"));
        Assert.Equal(0.4632532824922313, cfg.Get<double>("TRACK.WINDOW_INFLUENCE"));
        Assert.Equal(0.08513642556896711, cfg.Get<double>("TRACK.PENALTY_K"));
        Assert.Equal(0.44418184746462425, cfg.Get<double>("TRACK.LR"));
        Assert.Equal(255, cfg.Get<int>("TRACK.INSTANCE_SIZE"));
        Assert.Equal(28, cfg.Get<int>("TRAIN.BATCH_SIZE"));
        Assert.Equal(0.005, cfg.Get<double>("TRAIN.BASE_LR"));
        Assert.Equal("", cfg.Get<string>("TRAIN.RESUME"));
        Assert.Equal("log", cfg.Get<string>("TRAIN.LR.TYPE"));
        Assert.Equal(0.00005, cfg.Get<double>("TRAIN.LR.KWARGS.end_lr"));
        Assert.Equal(5, cfg.Get<int>("TRAIN.LR_WARMUP.EPOCH"));
        Assert.Equal(1, cfg.Get<int>("TRAIN.LR_WARMUP.KWARGS.step"));
        Assert.Equal(["VID", "YOUTUBEBB", "COCO", "DET", "GOT10K", "LASOT"], cfg.Get<string[]>("DATASET.NAMES"));
        Assert.Equal(1000000, cfg.Get<int>("DATASET.VIDEOS_PER_EPOCH"));
        Assert.Equal(4, cfg.Get<int>("DATASET.TEMPLATE.SHIFT"));
        Assert.Equal(0.2, cfg.Get<double>("DATASET.SEARCH.BLUR"));
        Assert.Equal(0.2, cfg.Get<double>("DATASET.NEG"));
        Assert.Equal(0.0, cfg.Get<double>("DATASET.GRAY"));
        // defaults
        Assert.Equal(0.5, cfg.Get<double>("TRACK.CONTEXT_AMOUNT"));
        Assert.Equal(1, cfg.Get<int>("TRAIN.NUM_WORKERS"));
        Assert.Equal(100, cfg.Get<int>("DATASET.GOT10K.FRAME_RANGE"));
    }

    [Fact]
    public void SiamFCppTrainTrack_Loads()
    {
        // golden/siamfcpp_small/config_train_track.yaml (video_analyst, schema-free)
        var cfg = ConfigFamily.VideoAnalyst.Load(ConfigTestFiles.Golden("siamfcpp_small/config_train_track.yaml"));
        Assert.Equal("siamfcpp_alexnet-got", cfg.Get<string>("exp_name"));
        Assert.Equal("AlexNet", cfg.Get<string>("model.backbone.name"));
        Assert.Equal(64, cfg.Get<int>("model.task_head.DenseboxHead.head_width"));
        Assert.Equal([false, false, true], cfg.Get<bool[]>("model.task_head.DenseboxHead.head_conv_bn"));
        Assert.Equal(["FocalLoss", "SigmoidCrossEntropyCenterness", "IOULoss"], cfg.Get<string[]>("model.losses.names"));
        Assert.Equal(3.0, cfg.Get<double>("model.losses.IOULoss.weight"));
        Assert.Equal(0.1, cfg.Get<double>("optim.optimizer.SGD.lr"));
        Assert.Equal(5.0e-05, cfg.Get<double>("optim.optimizer.SGD.weight_decay"));
        var schedule = cfg.Get<string[]>("optim.grad_modifier.DynamicFreezer.schedule");
        Assert.Equal(4, schedule.Length);
        Assert.Equal("""{ "name": "isConv", "regex": "basemodel\\.conv.\\.conv.*", "epoch": 0, "freezed": true }""" + "\n", schedule[0]);
        Assert.Equal(["GOT10kDataset"], cfg.Get<string[]>("data.sampler.submodules.dataset.names"));
        Assert.Equal(400000, cfg.Get<int>("data.nr_image_per_epoch"));
        Assert.Equal(0.1, cfg.Get<double>("data.sampler.TrackPairSampler.negative_pair_ratio"));
        Assert.Equal(0, cfg.Node("data.datapipeline.RegularDatapipeline").Count);
        Assert.Equal(0.52, cfg.Get<double>("pipeline.SiamFCppTracker.test_lr"));
        Assert.Equal(303, cfg.Get<int>("pipeline.SiamFCppTracker.x_size"));
        var blur = cfg.Node("pipeline.SiamFCppOnlineTracker.augmentation_blur");
        Assert.Equal(5, blur.Items.Count);
        Assert.Equal([0.2, 2.0], blur.Items[1].Items.Select(i => Convert.ToDouble(i.Value)));
        Assert.Equal(0.3333333333333333, cfg.Get<double>("pipeline.SiamFCppOnlineTracker.augmentation_shift_factor"));
        Assert.Equal("cpu", cfg.Get<string>("device"));
    }

    [Fact]
    public void SiamFCppTestTrack_Loads()
    {
        // golden/siamfcpp_small/config_test_track.yaml
        var cfg = ConfigFamily.VideoAnalyst.Load(ConfigTestFiles.Golden("siamfcpp_small/config_test_track.yaml"));
        Assert.Equal("siamfcpp_alexnet", cfg.Get<string>("exp_name"));
        Assert.Equal("SiamFCppTracker", cfg.Get<string>("pipeline.name"));
        Assert.Equal(0.21, cfg.Get<double>("pipeline.SiamFCppTracker.window_influence"));
        Assert.Equal(0.04, cfg.Get<double>("pipeline.SiamFCppTracker.penalty_k"));
        Assert.Equal("cosine", cfg.Get<string>("pipeline.SiamFCppTracker.windowing"));
        Assert.Equal(["GOT10kTester"], cfg.Get<string[]>("tester.names"));
        Assert.Equal(["val"], cfg.Get<string[]>("tester.GOT10kTester.subsets"));
        Assert.Equal(["2015"], cfg.Get<string[]>("tester.OTBTester.subsets"));                 // quoted: a string
        Assert.Equal(ConfigKind.String, cfg.Node("tester.OTBTester.subsets").Items[0].Kind);
        Assert.Equal("datasets/VOT/vot2019", cfg.Get<string>("tester.VOTTester.data_root.VOT2019"));
        Assert.Equal(12345, cfg.Get<int>("tester.VOTTester.random_seed"));
        Assert.Equal("", cfg.Get<string>("data.exp_name"));
        Assert.Equal(ConfigKind.Map, cfg.Node("model.task_model.SiamTrack").Kind);
    }

    [Fact]
    public void FcosSmall_Loads()
    {
        // golden/fcos_small/config.yaml (maskrcnn-benchmark resolved yacs config)
        var cfg = ConfigFamily.MaskRcnnBenchmark.Load(ConfigTestFiles.Golden("fcos_small/config.yaml"));
        Assert.Equal([8, 16, 32, 64, 128], cfg.Get<int[]>("MODEL.FCOS.FPN_STRIDES"));
        Assert.Equal(1.5, cfg.Get<double>("MODEL.FCOS.CENTER_SAMPLING_RADIUS"));
        Assert.Equal("giou", cfg.Get<string>("MODEL.FCOS.IOU_LOSS_TYPE"));
        Assert.True(cfg.Get<bool>("MODEL.FCOS.NORM_REG_TARGETS"));
        Assert.Equal(81, cfg.Get<int>("MODEL.FCOS.NUM_CLASSES"));
        Assert.Equal(8, cfg.Get<int>("MODEL.RESNETS.WIDTH_PER_GROUP"));
        Assert.Equal(16, cfg.Get<int>("MODEL.RESNETS.STEM_OUT_CHANNELS"));
        Assert.Equal(1.0e-05, cfg.Get<double>("MODEL.GROUP_NORM.EPSILON"));
        Assert.Equal([-1, -1], cfg.Get<int[]>("INPUT.MIN_SIZE_RANGE_TRAIN"));
        Assert.Equal([102.9801, 115.9465, 122.7717], cfg.Get<double[]>("INPUT.PIXEL_MEAN"));
        Assert.Equal(416, cfg.Get<int>("INPUT.MAX_SIZE_TEST"));
        Assert.Equal(0.3333333333333333, cfg.Get<double>("SOLVER.WARMUP_FACTOR"));
        Assert.Equal("constant", cfg.Get<string>("SOLVER.WARMUP_METHOD"));
        Assert.Equal([60000, 80000], cfg.Get<int[]>("SOLVER.STEPS"));
        Assert.Equal("", cfg.Get<string>("MODEL.WEIGHT"));
        Assert.Equal(".", cfg.Get<string>("OUTPUT_DIR"));
        Assert.Empty(cfg.Node("TEST.BBOX_AUG.SCALES").Items);
        Assert.Equal(["coco_2014_train", "coco_2014_valminusminival"], cfg.Get<string[]>("DATASETS.TRAIN"));
    }

    public static TheoryData<string, string> Goldens => new()
    {
        { "ostrack", "ostrack_small/config.yaml" },
        { "siamban", "siamban_small/config.yaml" },
        { "video_analyst", "siamfcpp_small/config_train_track.yaml" },
        { "video_analyst", "siamfcpp_small/config_test_track.yaml" },
        { "maskrcnn_benchmark", "fcos_small/config.yaml" },
    };

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Dump_LoadsBackToTheSameValues(string family, string golden)
    {
        using var files = new ConfigTestFiles();
        var cfg = ConfigFamily.Get(family).Load(ConfigTestFiles.Golden(golden));
        string dumped = Path.Combine(files.Folder, "dumped.yaml");
        cfg.Save(dumped);
        var again = ConfigFamily.Get(family).Load(dumped);
        Assert.True(cfg.Root.ValueEquals(again.Root), cfg.ToYaml());
        // the dump is also complete on its own: as the experiment file of a schema-free load
        var alone = ConfigFamily.MaskRcnnBenchmark.Load(dumped);
        Assert.True(cfg.Root.ValueEquals(alone.Root));
    }
}
