using OpenCvSharp;
using static TorchSharp.torch;

namespace TrackSharp.Detection.Fcos;

/// <summary>
/// FCOS inference on images: <see cref="FcosPreprocessor"/>, the eval forward of <see cref="FcosModel"/>,
/// <see cref="FcosPostProcessor"/> on the resized image, then boxes scaled back to the original image
/// (maskrcnn-benchmark's <c>BoxList.resize</c>: x by <c>W_orig / W_resized</c>, y by <c>H_orig / H_resized</c>, no +1).
/// </summary>
public sealed class FcosDetector : IDisposable
{
    public FcosDetector(FcosModel model)
    {
        Model = model;
        Model.eval();
        Preprocessor = new FcosPreprocessor(model.Options);
        PostProcessor = new FcosPostProcessor(model.Options.PostProcessor);
    }

    public FcosModel Model { get; }
    public FcosPreprocessor Preprocessor { get; }
    public FcosPostProcessor PostProcessor { get; }

    /// <summary>Run the network on a channels-last (NHWC in memory) input: oneDNN keeps that layout through the
    /// convolutions, which is faster on CPU for these 3x3 / 1x1 convs. Same values up to float rounding.</summary>
    public bool ChannelsLastInput { get; set; }

    /// <summary>Detections in the coordinates of <paramref name="bgr"/>, in the post-processor's order.</summary>
    public IReadOnlyList<DetectedBox> Detect(Mat bgr)
    {
        using var input = Preprocessor.Prepare(bgr);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var fwd = Model.Forward(ChannelsLastInput ? Nn.Inference.ChannelsLast.Copy(input.Images) : input.Images);
        var locations = FcosLocations.Compute(fwd.Features, Model.Options.FpnStrides);
        var result = PostProcessor.Process(locations, fwd.Head.BoxCls, fwd.Head.BoxRegression, fwd.Head.Centerness,
            new[] { (input.ResizedHeight, input.ResizedWidth) })[0];
        float rx = (float)((double)input.OriginalWidth / input.ResizedWidth);
        float ry = (float)((double)input.OriginalHeight / input.ResizedHeight);
        return result.Final.Select(d => d with { X1 = d.X1 * rx, Y1 = d.Y1 * ry, X2 = d.X2 * rx, Y2 = d.Y2 * ry }).ToList();
    }

    public void Dispose() => Model.Dispose();
}
