using TrackSharp.Config;

namespace TrackSharp.Detection.Data;

/// <summary>
/// Reads the data settings of a maskrcnn-benchmark / FCOS config (<c>INPUT</c>, <c>DATALOADER</c>, <c>SOLVER</c> /
/// <c>TEST.IMS_PER_BATCH</c>) as FCOS's <c>build_transforms</c> and <c>make_data_loader</c> do: for training the min
/// sizes are <c>MIN_SIZE_TRAIN</c>, or every integer of <c>MIN_SIZE_RANGE_TRAIN</c> when its first value is not -1,
/// and the flip probability is 0.5; for testing <c>MIN_SIZE_TEST</c> and no flip. Missing keys take the reference
/// defaults; wrongly typed values raise a <see cref="ConfigException"/> naming the key.
/// </summary>
public static class DetectionConfig
{
    public static DetectionTransformOptions Transform(ExperimentConfig cfg, bool training)
    {
        IReadOnlyList<int> minSizes;
        int maxSize;
        if (training)
        {
            var range = cfg.Get<int[]>("INPUT.MIN_SIZE_RANGE_TRAIN", [-1, -1]);
            if (range.Length > 0 && range[0] != -1)
            {
                if (range.Length != 2 || range[1] < range[0])
                    throw cfg.Error("INPUT.MIN_SIZE_RANGE_TRAIN", "must be two values (lower bound, upper bound)");
                minSizes = Enumerable.Range(range[0], range[1] - range[0] + 1).ToArray();
            }
            else
            {
                minSizes = IntOrList(cfg, "INPUT.MIN_SIZE_TRAIN", 800);
            }
            maxSize = cfg.Get("INPUT.MAX_SIZE_TRAIN", 1333);
        }
        else
        {
            minSizes = IntOrList(cfg, "INPUT.MIN_SIZE_TEST", 800);
            maxSize = cfg.Get("INPUT.MAX_SIZE_TEST", 1333);
        }
        var options = new DetectionTransformOptions
        {
            MinSizes = minSizes,
            MaxSize = maxSize,
            FlipProbability = training ? 0.5 : 0.0,
            PixelMean = cfg.Get<float[]>("INPUT.PIXEL_MEAN", [102.9801f, 115.9465f, 122.7717f]),
            PixelStd = cfg.Get<float[]>("INPUT.PIXEL_STD", [1f, 1f, 1f]),
            ToBgr255 = cfg.Get("INPUT.TO_BGR255", true),
        };
        try { options.Validate(); }
        catch (ArgumentException e) { throw cfg.Error("INPUT", e.Message); }
        return options;
    }

    public static DetectionLoaderOptions Loader(ExperimentConfig cfg, bool training, int seed = 0)
    {
        string batchKey = training ? "SOLVER.IMS_PER_BATCH" : "TEST.IMS_PER_BATCH";
        int batch = cfg.Get(batchKey, training ? 16 : 8);
        if (batch <= 0) throw cfg.Error(batchKey, $"must be positive, got {batch}");
        return new DetectionLoaderOptions
        {
            ImagesPerBatch = batch,
            AspectRatioBins = cfg.Get("DATALOADER.ASPECT_RATIO_GROUPING", true) ? AspectRatioGrouping.DefaultBins : null,
            SizeDivisibility = cfg.Get("DATALOADER.SIZE_DIVISIBILITY", 0),
            Shuffle = training,
            Seed = seed,
        };
    }

    private static int[] IntOrList(ExperimentConfig cfg, string key, int fallback) =>
        !cfg.Contains(key) ? [fallback] : cfg.Node(key).IsList ? cfg.Get<int[]>(key) : [cfg.Get<int>(key)];
}
