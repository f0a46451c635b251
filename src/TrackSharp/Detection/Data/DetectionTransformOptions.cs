namespace TrackSharp.Detection.Data;

/// <summary>
/// The settings of maskrcnn-benchmark's <c>build_transforms</c>: <c>INPUT.MIN_SIZE_TRAIN</c> (one drawn per image) or
/// <c>MIN_SIZE_TEST</c>, <c>MAX_SIZE_*</c>, the flip probability (0.5 for training, 0 for testing), and the
/// normalisation (<c>PIXEL_MEAN</c>, <c>PIXEL_STD</c>, <c>TO_BGR255</c>). Defaults are FCOS's R-50 training values.
/// </summary>
public sealed record DetectionTransformOptions
{
    public IReadOnlyList<int> MinSizes { get; init; } = [800];
    public int MaxSize { get; init; } = 1333;
    public double FlipProbability { get; init; } = 0.5;
    public IReadOnlyList<float> PixelMean { get; init; } = [102.9801f, 115.9465f, 122.7717f];
    public IReadOnlyList<float> PixelStd { get; init; } = [1f, 1f, 1f];

    /// <summary>True (Caffe2-style weights): BGR channels scaled to 0..255; false: RGB in 0..1.</summary>
    public bool ToBgr255 { get; init; } = true;

    /// <summary>
    /// True (default): pixels are resized as the reference does, with Pillow's antialiased bilinear
    /// (<see cref="PilBilinearResize"/>, bit-exact); false: OpenCV's bilinear, faster, slightly different pixels.
    /// </summary>
    public bool PillowResize { get; init; } = true;

    /// <summary>Test-time settings: one size, no flip.</summary>
    public static DetectionTransformOptions Test(int minSize = 800, int maxSize = 1333) =>
        new() { MinSizes = [minSize], MaxSize = maxSize, FlipProbability = 0 };

    internal void Validate()
    {
        if (MinSizes.Count == 0 || MinSizes.Any(s => s <= 0)) throw new ArgumentException($"min sizes must be positive, got [{string.Join(", ", MinSizes)}]");
        if (FlipProbability is < 0 or > 1) throw new ArgumentException($"flip probability must be in [0, 1], got {FlipProbability}");
        if (PixelMean.Count != 3 || PixelStd.Count != 3) throw new ArgumentException("PIXEL_MEAN and PIXEL_STD need 3 values each");
        if (PixelStd.Any(s => s == 0)) throw new ArgumentException("PIXEL_STD values must not be 0");
    }
}
