using TrackSharp.Config;

namespace TrackSharp.Detection.Fcos.Training;

/// <summary>
/// The iteration-based schedule of a maskrcnn-benchmark / FCOS config: <c>SOLVER.MAX_ITER</c> iterations,
/// a checkpoint every <c>SOLVER.CHECKPOINT_PERIOD</c> iterations, and <see cref="WarmupMultiStepLR"/> from
/// <c>SOLVER.STEPS</c>, <c>GAMMA</c>, <c>WARMUP_FACTOR</c>, <c>WARMUP_ITERS</c>, <c>WARMUP_METHOD</c>.
/// Missing keys take maskrcnn-benchmark's defaults; bad values raise a <see cref="ConfigException"/> naming the key.
/// </summary>
public sealed record FcosTrainSettings
{
    public required int MaxIter { get; init; }
    public required int CheckpointPeriod { get; init; }
    public required WarmupMultiStepLR Schedule { get; init; }

    public static FcosTrainSettings FromConfig(ExperimentConfig cfg)
    {
        ArgumentNullException.ThrowIfNull(cfg);
        int maxIter = cfg.Get("SOLVER.MAX_ITER", 40000);
        if (maxIter < 1) throw cfg.Error("SOLVER.MAX_ITER", $"must be at least 1, got {maxIter}");
        int period = cfg.Get("SOLVER.CHECKPOINT_PERIOD", 2500);
        if (period < 1) throw cfg.Error("SOLVER.CHECKPOINT_PERIOD", $"must be at least 1, got {period}");
        string method = cfg.Get("SOLVER.WARMUP_METHOD", "linear");
        var warmup = method switch
        {
            "constant" => WarmupMethod.Constant,
            "linear" => WarmupMethod.Linear,
            _ => throw cfg.Error("SOLVER.WARMUP_METHOD", $"only 'constant' or 'linear' accepted, got '{method}'"),
        };
        int[] steps = cfg.Get<int[]>("SOLVER.STEPS", [30000]);
        WarmupMultiStepLR schedule;
        try
        {
            schedule = new WarmupMultiStepLR(steps, cfg.Get("SOLVER.GAMMA", 0.1), cfg.Get("SOLVER.WARMUP_FACTOR", 1.0 / 3),
                cfg.Get("SOLVER.WARMUP_ITERS", 500), warmup);
        }
        catch (ArgumentException e) { throw cfg.Error("SOLVER.STEPS", e.Message); }
        return new FcosTrainSettings { MaxIter = maxIter, CheckpointPeriod = period, Schedule = schedule };
    }
}
