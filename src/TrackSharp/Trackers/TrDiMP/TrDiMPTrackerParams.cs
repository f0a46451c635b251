namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// The tracker parameters of pytracking's <c>parameter/trdimp/trdimp.py</c> (defaults) and <c>trsiam.py</c>
/// (<see cref="TrSiam"/>: no filter optimisation). Values the tracker reads with <c>.get()</c> and the file does not set
/// carry the code defaults.
/// </summary>
public sealed record TrDiMPTrackerParams
{
    public int ImageSampleSize { get; init; } = 352;
    public double SearchAreaScale { get; init; } = 6;
    public double PatchMaxScaleChange { get; init; } = 1.5;
    public int SampleMemorySize { get; init; } = 50;
    public double LearningRate { get; init; } = 0.01;
    public double InitSamplesMinimumWeight { get; init; } = 0.25;
    public int TrainSkipping { get; init; } = 20;
    public int NetOptIter { get; init; } = 10;
    public int NetOptUpdateIter { get; init; } = 2;
    public int NetOptHnIter { get; init; } = 1;
    public int TransformerSkipping { get; init; } = 5;
    public int TransformerMemorySize { get; init; } = 20;
    public double HardNegativeLearningRate { get; init; } = 0.02;
    public double TargetInsideRatio { get; init; } = 0.2;
    public bool UpdateScaleWhenUncertain { get; init; } = true;
    public AdvancedLocalization.Settings Localization { get; init; } = new();
    public IouBoxRefinement.Settings Refinement { get; init; } = new();
    public int NumInitRandomBoxes { get; init; } = 9;

    /// <summary>Size of the expanded crop the augmentations start from, relative to the sample size.</summary>
    public double AugmentationExpansionFactor { get; init; } = 2;
    /// <summary>Random shift of the flip/blur/rotate samples, relative to the sample size.</summary>
    public double RandomShiftFactor { get; init; } = 1.0 / 3;
    /// <summary><c>augmentation.relativeshift</c>: (y, x) shifts relative to half the sample size.</summary>
    public IReadOnlyList<(double Y, double X)> RelativeShifts { get; init; } = [(0.6, 0.6), (-0.6, 0.6), (0.6, -0.6), (-0.6, -0.6)];
    public bool FlipLr { get; init; } = true;
    /// <summary><c>augmentation.blur</c>: (σ_y, σ_x) per blurred sample.</summary>
    public IReadOnlyList<(double Y, double X)> BlurSigmas { get; init; } = [(3, 1), (1, 3), (2, 2)];
    /// <summary><c>augmentation.rotate</c>: angles in degrees.</summary>
    public IReadOnlyList<double> RotateDegrees { get; init; } = [10, -10, 45, -45];
    /// <summary><c>augmentation.dropout</c>: number of channel-dropout copies of the first sample and the drop probability.</summary>
    public (int Count, double Probability) Dropout { get; init; } = (2, 0.2);

    /// <summary>TrDiMP (<c>trdimp.py</c>).</summary>
    public static TrDiMPTrackerParams TrDiMP { get; } = new();

    /// <summary>TrSiam (<c>trsiam.py</c>): the initial filter is never optimised.</summary>
    public static TrDiMPTrackerParams TrSiam { get; } = new() { NetOptIter = 0, NetOptUpdateIter = 0, NetOptHnIter = 0 };
}
