namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>
/// Hyper-parameters of videoanalyst's <c>RandomCropTransformer</c> (config section
/// <c>data.transformer.RandomCropTransformer</c>); defaults are the published SiamFC++ training values.
/// </summary>
/// <param name="ContextAmount">Context added around the target: <c>s = sqrt((w + c(w+h)) (h + c(w+h)))</c>.</param>
/// <param name="MaxScale">Search scale jitter: the search scale is divided by <c>U(1/(1+m), 1+m)</c>.</param>
/// <param name="MaxShift">Search shift jitter, as a fraction of half the search side.</param>
/// <param name="MaxScaleTemp">Template scale jitter: divided by <c>exp(U(log(1/(1+m)), log(1+m)))</c>.</param>
/// <param name="MaxShiftTemp">Template shift jitter, as a fraction of half the template side.</param>
/// <param name="ZSize">Template crop side (127).</param>
/// <param name="XSize">Search crop side (303).</param>
public sealed record SiamFCppCropSettings(
    double ContextAmount = 0.5,
    double MaxScale = 0.3,
    double MaxShift = 0.4,
    double MaxScaleTemp = 0.0,
    double MaxShiftTemp = 0.0,
    int ZSize = 127,
    int XSize = 303)
{
    /// <summary>The published values (<c>siamfcpp_alexnet-trn.yaml</c>).</summary>
    public static SiamFCppCropSettings Default { get; } = new();

    /// <exception cref="ArgumentException">A negative jitter, a non-positive context or size.</exception>
    public void Validate()
    {
        if (!(ContextAmount >= 0) || !double.IsFinite(ContextAmount))
            throw new ArgumentException($"context_amount must be a finite value >= 0, got {ContextAmount}");
        foreach (var (name, v) in new[] { ("max_scale", MaxScale), ("max_shift", MaxShift), ("max_scale_temp", MaxScaleTemp), ("max_shift_temp", MaxShiftTemp) })
            if (!(v >= 0) || !double.IsFinite(v)) throw new ArgumentException($"{name} must be a finite value >= 0, got {v}");
        if (ZSize < 2 || XSize < 2) throw new ArgumentException($"z_size and x_size must be >= 2, got {ZSize} and {XSize}");
    }
}
