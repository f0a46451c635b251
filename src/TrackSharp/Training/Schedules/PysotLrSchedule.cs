using TrackSharp.Config;

namespace TrackSharp.Training.Schedules;

/// <summary>
/// An epoch-indexed learning-rate table in the pysot style (reference <c>pysot/utils/lr_scheduler.py</c>, used
/// unchanged by SiamBAN and NanoTrack): the schedule is a list <see cref="LrSpaces"/> of one value per epoch, and a
/// parameter group whose initial lr is <c>initial_lr</c> runs at <c>lr_spaces[epoch] * initial_lr / start_lr</c>
/// (evaluated left to right in float64, as the reference does). So a group's lr follows the table's shape scaled
/// by its own initial lr; with a warm-up the normaliser is the first value of the main part, so warm-up epochs run
/// below the groups' initial lrs.
/// </summary>
public abstract class PysotLrSchedule
{
    private readonly double[] _lrSpaces;

    protected PysotLrSchedule(double[] lrSpaces, double startLr)
    {
        if (lrSpaces.Length == 0) throw new ArgumentException("a pysot LR schedule needs at least one epoch");
        _lrSpaces = lrSpaces;
        StartLr = startLr;
    }

    /// <summary>Per-epoch table (<c>lr_spaces</c>). Values of float32 tables (multi-step, cos) are held exactly.</summary>
    public IReadOnlyList<double> LrSpaces => _lrSpaces;

    /// <summary>The normaliser <c>start_lr</c> of <c>get_lr()</c>.</summary>
    public double StartLr { get; }

    /// <summary>Number of epochs (length of <see cref="LrSpaces"/>).</summary>
    public int Epochs => _lrSpaces.Length;

    /// <summary><c>get_cur_lr()</c> after <c>step(epoch)</c>: the table value.</summary>
    public double CurrentLr(int epoch) => _lrSpaces[CheckEpoch(epoch)];

    /// <summary>The lr of a group with initial lr <paramref name="initialLr"/> after <c>step(epoch)</c>.</summary>
    public double GroupLr(int epoch, double initialLr) => _lrSpaces[CheckEpoch(epoch)] * initialLr / StartLr;

    /// <summary>The lrs of several groups after <c>step(epoch)</c>.</summary>
    public double[] GroupLrs(int epoch, IReadOnlyList<double> initialLrs) =>
        initialLrs.Select(lr => GroupLr(epoch, lr)).ToArray();

    private int CheckEpoch(int epoch) => epoch >= 0 && epoch < _lrSpaces.Length ? epoch
        : throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"the schedule has {_lrSpaces.Length} epochs (0..{_lrSpaces.Length - 1})");

    // ---- NumPy helpers reproduced in float64 ----

    /// <summary><c>np.linspace(start, stop, num)</c> (endpoint included): <c>arange*step + start</c>, last value = stop.</summary>
    internal static double[] Linspace(double start, double stop, int num)
    {
        if (num <= 0) return [];
        var y = new double[num];
        int div = num - 1;
        if (div == 0) { y[0] = start; return y; }
        double delta = stop - start;
        double step = delta / div;
        for (int i = 0; i < num; i++)
            y[i] = step == 0 ? i / (double)div * delta + start : i * step + start;
        y[^1] = stop;
        return y;
    }
}

/// <summary><c>LogScheduler</c>: <c>np.logspace(log10(start_lr), log10(end_lr), epochs)</c>; defaults 0.03 → 5e-4.</summary>
public sealed class PysotLogSchedule : PysotLrSchedule
{
    public PysotLogSchedule(double startLr = 0.03, double endLr = 5e-4, int epochs = 50)
        : base(Build(startLr, endLr, epochs), startLr) { EndLr = endLr; }

    public double EndLr { get; }

    private static double[] Build(double startLr, double endLr, int epochs) =>
        Linspace(Math.Log10(startLr), Math.Log10(endLr), epochs).Select(e => Math.Pow(10.0, e)).ToArray();
}

/// <summary>
/// <c>StepScheduler</c>: <c>start_lr * mult^(k // step)</c>. With <c>end_lr</c> and <c>start_lr</c> (the warm-up
/// form) <c>mult = (end_lr/start_lr)^(1/(epochs//step))</c>, so the last epoch stays one factor below
/// <c>end_lr</c>; with <c>end_lr</c> and no <c>start_lr</c>, <c>start_lr = end_lr / mult^(epochs//step)</c>.
/// Defaults: start 0.01, step 10, mult 0.1.
/// </summary>
public sealed class PysotStepSchedule : PysotLrSchedule
{
    public PysotStepSchedule(double? startLr = 0.01, double? endLr = null, int step = 10, double mult = 0.1, int epochs = 50)
        : this(Resolve(startLr, endLr, step, mult, epochs), step, epochs) { }

    private PysotStepSchedule((double Start, double Mult) p, int step, int epochs)
        : base(Enumerable.Range(0, epochs).Select(k => p.Start * Math.Pow(p.Mult, k / step)).ToArray(), p.Start)
    {
        Mult = p.Mult;
        Step = step;
    }

    public double Mult { get; }
    public int Step { get; }

    private static (double, double) Resolve(double? startLr, double? endLr, int step, double mult, int epochs)
    {
        if (step <= 0) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be positive");
        if (endLr is { } end)
        {
            if (startLr is null) return (end / Math.Pow(mult, epochs / step), mult);
            return (startLr.Value, Math.Pow(end / startLr.Value, 1.0 / (epochs / step)));
        }
        return (startLr ?? throw new ArgumentException("StepScheduler needs start_lr or end_lr"), mult);
    }
}

/// <summary>
/// <c>MultiStepScheduler</c>: the lr is multiplied by <c>mult</c> at each epoch in <c>steps</c>; with
/// <c>end_lr</c>, <c>mult = (end_lr/start_lr)^(1/len(steps))</c> (or <c>start_lr = end_lr / mult^len(steps)</c>).
/// The reference stores the table as <b>float32</b> (products in float64, then rounded), while its
/// <c>start_lr</c> normaliser stays the float64 argument. Defaults: start 0.01, steps 10,20,30,40, mult 0.5.
/// </summary>
public sealed class PysotMultiStepSchedule : PysotLrSchedule
{
    public PysotMultiStepSchedule(double? startLr = 0.01, double? endLr = null, IReadOnlyList<int>? steps = null,
        double mult = 0.5, int epochs = 50)
        : this(Resolve(startLr, endLr, steps ?? [10, 20, 30, 40], mult), steps ?? [10, 20, 30, 40], epochs) { }

    private PysotMultiStepSchedule((double Start, double Mult) p, IReadOnlyList<int> steps, int epochs)
        : base(Build(p.Start, steps, p.Mult, epochs), p.Start)
    {
        Mult = p.Mult;
        Steps = steps.ToArray();
    }

    public double Mult { get; }
    public IReadOnlyList<int> Steps { get; }

    private static (double, double) Resolve(double? startLr, double? endLr, IReadOnlyList<int> steps, double mult)
    {
        if (endLr is { } end)
        {
            if (startLr is null) return (end / Math.Pow(mult, steps.Count), mult);
            return (startLr.Value, Math.Pow(end / startLr.Value, 1.0 / steps.Count));
        }
        return (startLr ?? throw new ArgumentException("MultiStepScheduler needs start_lr or end_lr"), mult);
    }

    private static double[] Build(double start, IReadOnlyList<int> steps, double mult, int epochs)
    {
        var lr = new double[epochs];
        if (epochs == 0) return lr;
        lr[0] = start;
        for (int i = 1; i < epochs; i++)
            lr[i] = steps.Contains(i) ? lr[i - 1] * mult : lr[i - 1];
        return lr.Select(v => (double)(float)v).ToArray();
    }
}

/// <summary><c>LinearStepScheduler</c>: <c>np.linspace(start_lr, end_lr, epochs)</c>; defaults 0.01 → 0.005.</summary>
public sealed class PysotLinearSchedule : PysotLrSchedule
{
    public PysotLinearSchedule(double startLr = 0.01, double endLr = 0.005, int epochs = 50)
        : base(Linspace(startLr, endLr, epochs), startLr) { EndLr = endLr; }

    public double EndLr { get; }
}

/// <summary>
/// <c>CosStepScheduler</c>: <c>end + (start - end) * (1 + cos(k*pi/epochs)) * 0.5</c>, computed in <b>float32</b>
/// as the reference does (float32 index array; NumPy 1.x keeps float32 when combined with Python scalars). The
/// cosine is <see cref="MathF.Cos"/>; NumPy's float32 cos may differ by one float32 ulp. Defaults 0.01 → 0.005.
/// </summary>
public sealed class PysotCosSchedule : PysotLrSchedule
{
    public PysotCosSchedule(double startLr = 0.01, double endLr = 0.005, int epochs = 50)
        : base(Build(startLr, endLr, epochs), startLr) { EndLr = endLr; }

    public double EndLr { get; }

    private static double[] Build(double start, double end, int epochs)
    {
        var lr = new double[epochs];
        float pi = (float)Math.PI, e = epochs, span = (float)(start - end), endF = (float)end;
        for (int k = 0; k < epochs; k++)
        {
            float angle = (float)k * pi / e;
            float c = MathF.Cos(angle);
            float v = endF + span * (1f + c) * 0.5f;
            lr[k] = v;
        }
        return lr;
    }
}

/// <summary>
/// <c>WarmUPScheduler</c>: the warm-up table followed by the main table; <c>start_lr</c> = the main table's first
/// value, so after warm-up every group runs at exactly its initial lr.
/// </summary>
public sealed class PysotWarmUpSchedule : PysotLrSchedule
{
    public PysotWarmUpSchedule(PysotLrSchedule warmup, PysotLrSchedule main)
        : base(warmup.LrSpaces.Concat(main.LrSpaces).ToArray(), main.LrSpaces[0])
    {
        Warmup = warmup;
        Main = main;
    }

    public PysotLrSchedule Warmup { get; }
    public PysotLrSchedule Main { get; }
}

/// <summary>One scheduler entry of a pysot config (<c>TRAIN.LR</c> or <c>TRAIN.LR_WARMUP</c>): TYPE and KWARGS.</summary>
/// <param name="Type"><c>log</c>, <c>step</c>, <c>multi-step</c>, <c>linear</c> or <c>cos</c>.</param>
/// <param name="StartLr"><c>start_lr</c> (null: the type's default, or derived from end_lr where the reference does).</param>
/// <param name="EndLr"><c>end_lr</c> (null: the type's default).</param>
/// <param name="Step"><c>step</c> (step type).</param>
/// <param name="Mult"><c>mult</c> (step, multi-step).</param>
/// <param name="Steps"><c>steps</c> (multi-step).</param>
/// <param name="StartLrNull"><c>start_lr: null</c> given explicitly (step / multi-step then derive it from end_lr).</param>
public sealed record PysotLrSpec(string Type, double? StartLr = null, double? EndLr = null, int? Step = null,
    double? Mult = null, IReadOnlyList<int>? Steps = null, bool StartLrNull = false)
{
    /// <summary><c>_build_lr_scheduler</c>: the scheduler of this entry over <paramref name="epochs"/> epochs.</summary>
    public PysotLrSchedule Build(int epochs) => Type switch
    {
        "log" => new PysotLogSchedule(StartLr ?? 0.03, EndLr ?? 5e-4, epochs),
        "step" => new PysotStepSchedule(StartLrNull ? null : StartLr ?? 0.01, EndLr, Step ?? 10, Mult ?? 0.1, epochs),
        "multi-step" => new PysotMultiStepSchedule(StartLrNull ? null : StartLr ?? 0.01, EndLr, Steps, Mult ?? 0.5, epochs),
        "linear" => new PysotLinearSchedule(StartLr ?? 0.01, EndLr ?? 0.005, epochs),
        "cos" => new PysotCosSchedule(StartLr ?? 0.01, EndLr ?? 0.005, epochs),
        _ => throw new ArgumentException($"LR TYPE '{Type}' is not a pysot scheduler (log, step, multi-step, linear, cos)"),
    };
}

/// <summary>
/// The pysot training LR set-up: <c>TRAIN.LR</c>, <c>TRAIN.LR_WARMUP</c>, <c>TRAIN.EPOCH</c>, <c>TRAIN.BASE_LR</c>
/// and <c>BACKBONE.LAYERS_LR</c>; <see cref="Build"/> is <c>build_lr_scheduler(optimizer, epochs=cfg.TRAIN.EPOCH)</c>
/// and <see cref="InitialGroupLrs"/> the initial lrs of the trainer's three SGD groups (<c>build_opt_lr</c>:
/// backbone <c>LAYERS_LR * BASE_LR</c>, neck <c>BASE_LR</c>, head <c>BASE_LR</c>).
/// </summary>
public sealed record PysotLrConfig(PysotLrSpec Main, PysotLrSpec? Warmup, int WarmupEpochs, int Epochs,
    double BaseLr, double LayersLr)
{
    /// <summary>The scheduler over <see cref="Epochs"/>: warm-up (<see cref="WarmupEpochs"/>) + main (the rest), or main alone.</summary>
    public PysotLrSchedule Build() => Warmup is null
        ? Main.Build(Epochs)
        : new PysotWarmUpSchedule(Warmup.Build(WarmupEpochs), Main.Build(Epochs - WarmupEpochs));

    /// <summary>Initial lrs of the groups [backbone, neck, head] (<c>build_opt_lr</c>).</summary>
    public double[] InitialGroupLrs => [LayersLr * BaseLr, BaseLr, BaseLr];

    /// <summary>Reads TRAIN.EPOCH, TRAIN.BASE_LR, TRAIN.LR, TRAIN.LR_WARMUP (WARMUP, EPOCH) and BACKBONE.LAYERS_LR.</summary>
    public static PysotLrConfig FromConfig(ExperimentConfig config)
    {
        bool warm = config.Get("TRAIN.LR_WARMUP.WARMUP", true);
        return new PysotLrConfig(
            ReadSpec(config, "TRAIN.LR", "log"),
            warm ? ReadSpec(config, "TRAIN.LR_WARMUP", "step") : null,
            config.Get("TRAIN.LR_WARMUP.EPOCH", 5),
            config.Get("TRAIN.EPOCH", 50),
            config.Get("TRAIN.BASE_LR", 0.005),
            config.Get("BACKBONE.LAYERS_LR", 0.1));
    }

    private static PysotLrSpec ReadSpec(ExperimentConfig config, string path, string defaultType)
    {
        string kw = path + ".KWARGS.";
        double? D(string key) => config.Contains(kw + key) && config.Node(kw + key).Kind != ConfigKind.Null
            ? config.Get<double>(kw + key) : null;
        int? I(string key) => config.Contains(kw + key) ? config.Get<int>(kw + key) : null;
        return new PysotLrSpec(
            config.Get(path + ".TYPE", defaultType),
            D("start_lr"), D("end_lr"), I("step"), D("mult"),
            config.Contains(kw + "steps") ? config.Get<List<int>>(kw + "steps") : null,
            config.Contains(kw + "start_lr") && config.Node(kw + "start_lr").Kind == ConfigKind.Null);
    }
}
