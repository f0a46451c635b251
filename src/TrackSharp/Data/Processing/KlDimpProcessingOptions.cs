namespace TrackSharp.Data.Processing;

/// <summary>
/// Settings of <see cref="KlDimpProcessing"/>, named after pytracking's <c>KLDiMPProcessing</c> arguments and the
/// transforms of <c>ltr/train_settings/dimp/transformer_dimp.py</c>; <see cref="TrDiMP"/> holds that script's values.
/// </summary>
public sealed record KlDimpProcessingOptions
{
    /// <summary><c>search_area_factor</c>: crop side relative to the (jittered) target size.</summary>
    public double SearchAreaFactor { get; init; } = 6.0;

    /// <summary><c>output_sz</c>: side of the square crops in pixels (<c>feature_sz · 16</c>).</summary>
    public int OutputSize { get; init; } = 352;

    /// <summary><c>center_jitter_factor['train']</c> and <c>['test']</c>.</summary>
    public (double Train, double Test) CenterJitter { get; init; } = (3.0, 5.5);

    /// <summary><c>scale_jitter_factor['train']</c> and <c>['test']</c>.</summary>
    public (double Train, double Test) ScaleJitter { get; init; } = (0.25, 0.5);

    /// <summary><c>crop_type</c>.</summary>
    public DimpCropMode CropMode { get; init; } = DimpCropMode.InsideMajor;

    /// <summary><c>max_scale_change</c> of the inside crops.</summary>
    public double MaxScaleChange { get; init; } = 1.5;

    /// <summary>Joint transform: <c>ToGrayscale(probability)</c>, one draw for all frames of a sample.</summary>
    public double GrayscaleProbability { get; init; } = 0.05;

    /// <summary>Joint transform: <c>RandomHorizontalFlip(probability)</c> of the full frames, one draw for all frames.</summary>
    public double JointFlipProbability { get; init; } = 0.5;

    /// <summary>Per-frame transform: <c>ToTensorAndJitter(brightness_jitter)</c>.</summary>
    public double BrightnessJitter { get; init; } = 0.2;

    /// <summary>Per-frame transform: <c>RandomHorizontalFlip(probability)</c> of each crop, one draw per frame.</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary><c>Normalize</c> mean (RGB).</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0.485f, 0.456f, 0.406f];

    /// <summary><c>Normalize</c> std (RGB).</summary>
    public IReadOnlyList<float> Std { get; init; } = [0.229f, 0.224f, 0.225f];

    /// <summary><c>proposal_params['boxes_per_frame']</c>.</summary>
    public int ProposalsPerFrame { get; init; } = 128;

    /// <summary><c>proposal_params['proposal_sigma']</c>.</summary>
    public IReadOnlyList<(double Center, double Size)> ProposalSigma { get; init; } = BoxGmmProposals.TrDiMPProposalSigma;

    /// <summary><c>proposal_params['gt_sigma']</c>.</summary>
    public (double Center, double Size) GroundTruthSigma { get; init; } = BoxGmmProposals.TrDiMPGroundTruthSigma;

    /// <summary><c>label_function_params['kernel_sz']</c> (<c>settings.target_filter_sz</c>).</summary>
    public int KernelSize { get; init; } = 4;

    /// <summary><c>settings.output_sigma_factor</c>; the label sigma factor is this over <see cref="SearchAreaFactor"/>.</summary>
    public double OutputSigmaFactor { get; init; } = 0.25;

    /// <summary>Feature size of the labels: <c>output_sz / 16</c> (<c>settings.feature_sz</c>).</summary>
    public int FeatureSize => OutputSize / 16;

    /// <summary><c>label_function_params['sigma_factor']</c> = <c>output_sigma_factor / search_area_factor</c>.</summary>
    public double LabelSigmaFactor => OutputSigmaFactor / SearchAreaFactor;

    /// <summary>The processing of <c>transformer_dimp.py</c>.</summary>
    public static KlDimpProcessingOptions TrDiMP { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }
        static bool Probability(double p) => p >= 0 && p <= 1;
        Check(SearchAreaFactor > 0 && double.IsFinite(SearchAreaFactor), $"search_area_factor must be > 0, got {SearchAreaFactor}");
        Check(OutputSize >= 16 && OutputSize % 16 == 0, $"output_sz must be a positive multiple of 16 (the feature stride), got {OutputSize}");
        Check(CenterJitter.Train >= 0 && CenterJitter.Test >= 0, $"center_jitter_factor must be >= 0, got {CenterJitter}");
        Check(ScaleJitter.Train >= 0 && ScaleJitter.Test >= 0, $"scale_jitter_factor must be >= 0, got {ScaleJitter}");
        Check(MaxScaleChange >= 1, $"max_scale_change must be >= 1, got {MaxScaleChange}");
        Check(Probability(GrayscaleProbability), $"grayscale probability must be in [0, 1], got {GrayscaleProbability}");
        Check(Probability(JointFlipProbability), $"joint flip probability must be in [0, 1], got {JointFlipProbability}");
        Check(Probability(FlipProbability), $"flip probability must be in [0, 1], got {FlipProbability}");
        Check(BrightnessJitter >= 0, $"brightness jitter must be >= 0, got {BrightnessJitter}");
        Check(Mean.Count == 3 && Std.Count == 3 && Std.All(s => s > 0), "normalize mean and std need 3 values, std > 0");
        Check(ProposalsPerFrame >= 1, $"boxes_per_frame must be at least 1, got {ProposalsPerFrame}");
        Check(ProposalSigma.Count >= 1 && ProposalSigma.All(s => s.Center > 0 && s.Size > 0), "proposal_sigma needs (centre, size) pairs > 0");
        Check(KernelSize >= 1, $"target_filter_sz must be at least 1, got {KernelSize}");
        Check(OutputSigmaFactor > 0, $"output_sigma_factor must be > 0, got {OutputSigmaFactor}");
    }
}
