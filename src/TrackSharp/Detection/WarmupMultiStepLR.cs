namespace TrackSharp.Detection;

/// <summary>How <see cref="WarmupMultiStepLR"/> ramps the learning rate during warm-up.</summary>
public enum WarmupMethod
{
    /// <summary>Factor <c>WarmupFactor</c> throughout warm-up.</summary>
    Constant,
    /// <summary>Factor <c>WarmupFactor * (1 - a) + a</c> with <c>a = k / WarmupIters</c>.</summary>
    Linear,
}

/// <summary>
/// maskrcnn-benchmark's <c>WarmupMultiStepLR</c> (FCOS solver): <c>lr(k) = base * warmup(k) * gamma^bisect_right(steps, k)</c>,
/// where <c>k</c> is the scheduler's step count. The reference steps the scheduler after <c>optimizer.step()</c> and
/// its constructor already applies <c>k = 0</c>, so training iteration <c>i</c> (1-based) uses <c>k = i - 1</c>
/// (<see cref="LearningRateForIteration"/>).
/// </summary>
public sealed class WarmupMultiStepLR
{
    public WarmupMultiStepLR(IReadOnlyList<int> steps, double gamma = 0.1, double warmupFactor = 1.0 / 3,
        int warmupIters = 500, WarmupMethod warmupMethod = WarmupMethod.Linear)
    {
        for (int i = 1; i < steps.Count; i++)
            if (steps[i] < steps[i - 1])
                throw new ArgumentException($"milestones must be increasing, got [{string.Join(", ", steps)}]", nameof(steps));
        Steps = steps.ToArray();
        Gamma = gamma;
        WarmupFactor = warmupFactor;
        WarmupIters = warmupIters;
        Method = warmupMethod;
    }

    public IReadOnlyList<int> Steps { get; }
    public double Gamma { get; }
    public double WarmupFactor { get; }
    public int WarmupIters { get; }
    public WarmupMethod Method { get; }

    /// <summary>Multiplier of the base learning rate at scheduler step <paramref name="k"/> (0-based).</summary>
    public double Factor(int k) => WarmupFactorAt(k) * Math.Pow(Gamma, BisectRight(k));

    /// <summary>Learning rate at scheduler step <paramref name="k"/> for a parameter group with base rate
    /// <paramref name="baseLr"/>, evaluated in the reference's order <c>(base * warmup) * gamma^n</c>.</summary>
    public double LearningRate(double baseLr, int k) => baseLr * WarmupFactorAt(k) * Math.Pow(Gamma, BisectRight(k));

    /// <summary>Learning rate used at training iteration <paramref name="iteration"/> (1-based): step <c>iteration - 1</c>.</summary>
    public double LearningRateForIteration(double baseLr, int iteration) => LearningRate(baseLr, iteration - 1);

    private double WarmupFactorAt(int k)
    {
        if (k >= WarmupIters) return 1.0;
        if (Method == WarmupMethod.Constant) return WarmupFactor;
        double alpha = (double)k / WarmupIters;
        return WarmupFactor * (1 - alpha) + alpha;
    }

    private int BisectRight(int k)
    {
        int n = 0;
        while (n < Steps.Count && Steps[n] <= k) n++;
        return n;
    }
}
