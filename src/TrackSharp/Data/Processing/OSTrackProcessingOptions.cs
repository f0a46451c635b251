namespace TrackSharp.Data.Processing;

/// <summary>How one kind of crop (template or search) is cut and augmented: OSTrack's <c>DATA.TEMPLATE</c> /
/// <c>DATA.SEARCH</c> keys plus the per-crop flip of <c>transform_train</c>.</summary>
/// <param name="Factor"><c>FACTOR</c>: crop side = ceil(sqrt(w·h)·factor) of the jittered box.</param>
/// <param name="Size"><c>SIZE</c>: output side in pixels.</param>
/// <param name="CenterJitter"><c>CENTER_JITTER</c>: max centre offset = sqrt(jittered area)·factor·(rand − 0.5) per axis.</param>
/// <param name="ScaleJitter"><c>SCALE_JITTER</c>: jittered size = wh·exp(randn·factor) per axis.</param>
/// <param name="FlipProbability">Probability of <c>RandomHorizontalFlip_Norm</c> on this crop (drawn per crop).</param>
public sealed record CropSettings(double Factor, int Size, double CenterJitter = 0, double ScaleJitter = 0,
    double FlipProbability = 0)
{
    public void Validate(string name)
    {
        if (!(Factor > 0) || !double.IsFinite(Factor)) throw new ArgumentException($"{name}: factor must be > 0, got {Factor}");
        if (Size < 1) throw new ArgumentException($"{name}: size must be >= 1, got {Size}");
        if (!(CenterJitter >= 0) || !(ScaleJitter >= 0)) throw new ArgumentException($"{name}: jitter factors must be >= 0");
        if (!(FlipProbability is >= 0 and <= 1)) throw new ArgumentException($"{name}: flip probability must lie in [0, 1]");
    }
}

/// <summary>
/// Settings of <see cref="OSTrackProcessing"/> (OSTrack's <c>STARKProcessing</c> with the transforms of its
/// <c>train_script.py</c>): <c>transform_joint = ToGrayscale(0.05), RandomHorizontalFlip(0.5)</c> on the full frames
/// (one draw for template and search), then per crop <c>ToTensorAndJitter(0.2), RandomHorizontalFlip_Norm(0.5),
/// Normalize(MEAN, STD)</c>.
/// </summary>
public sealed record OSTrackProcessingOptions
{
    public CropSettings Template { get; init; } = new(2.0, 128, 0, 0, 0.5);
    public CropSettings Search { get; init; } = new(4.0, 256, 3.0, 0.25, 0.5);

    /// <summary>Joint <c>ToGrayscale</c> probability (template and search together).</summary>
    public double GrayscaleProbability { get; init; } = 0.05;

    /// <summary>Joint <c>RandomHorizontalFlip</c> of the full frames (template and search together).</summary>
    public double JointFlipProbability { get; init; } = 0.5;

    /// <summary><c>ToTensorAndJitter</c>: brightness factor drawn uniformly in [max(0, 1 − b), 1 + b] per crop.</summary>
    public double BrightnessJitter { get; init; } = 0.2;

    /// <summary><c>DATA.MEAN</c>, RGB.</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0.485f, 0.456f, 0.406f];

    /// <summary><c>DATA.STD</c>, RGB.</summary>
    public IReadOnlyList<float> Std { get; init; } = [0.229f, 0.224f, 0.225f];

    /// <summary>Backbone stride: the heatmap has Search.Size / stride cells per side (OSTrack: 256 / 16 = 16).</summary>
    public int HeatmapStride { get; init; } = 16;

    /// <summary>OSTrack vitb_256 / the small golden config: template 128 at factor 2 without jitter, search 256 at
    /// factor 4 with centre jitter 3 and scale jitter 0.25, grayscale 0.05, flips 0.5, brightness 0.2.</summary>
    public static OSTrackProcessingOptions Default { get; } = new();

    /// <summary>No randomness at all (no jitter, no grayscale, no flips, brightness 1): for checks by hand.</summary>
    public static OSTrackProcessingOptions Deterministic { get; } = new()
    {
        Template = new(2.0, 128), Search = new(4.0, 256), GrayscaleProbability = 0, JointFlipProbability = 0,
        BrightnessJitter = 0,
    };

    public void Validate()
    {
        Template.Validate("template");
        Search.Validate("search");
        if (!(GrayscaleProbability is >= 0 and <= 1) || !(JointFlipProbability is >= 0 and <= 1))
            throw new ArgumentException("probabilities must lie in [0, 1]");
        if (!(BrightnessJitter >= 0)) throw new ArgumentException($"brightness jitter must be >= 0, got {BrightnessJitter}");
        if (Mean.Count != 3 || Std.Count != 3 || Std.Any(s => !(s > 0)))
            throw new ArgumentException("mean and std need 3 values (RGB), std > 0");
        if (HeatmapStride < 1 || Search.Size % HeatmapStride != 0)
            throw new ArgumentException($"search size {Search.Size} must be a multiple of the heatmap stride {HeatmapStride}");
    }
}
