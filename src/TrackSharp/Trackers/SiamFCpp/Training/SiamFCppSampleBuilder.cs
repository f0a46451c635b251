using OpenCvSharp;
using TrackSharp.Data.Targets;
using TrackSharp.Geometry;
using TrackSharp.Imaging;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>
/// Turns one decoded pair of frames into a <see cref="SiamFCppTrainingSample"/>: the pair crop
/// (<see cref="SiamFCppPairCrop"/>, videoanalyst's <c>RandomCropTransformer</c>) and the dense targets of the
/// search crop's box (<see cref="DenseboxTarget"/>; negative pair: cls 0 → −1, 1 → 0). Stateless and thread-safe;
/// the randomness comes in through <see cref="IUniformDraws"/>.
/// </summary>
public sealed class SiamFCppSampleBuilder(SiamFCppPairCrop crop, DenseboxTarget target)
{
    /// <summary>The published settings: crop 127 / 303 with scale 0.3 and shift 0.4 jitter, 17 x 17 targets.</summary>
    public SiamFCppSampleBuilder() : this(new SiamFCppPairCrop(), DenseboxTarget.FromSizes()) { }

    /// <summary>From a training config's crop and target settings.</summary>
    public static SiamFCppSampleBuilder FromSettings(SiamFCppTrainSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SiamFCppSampleBuilder(new SiamFCppPairCrop(settings.Crop), settings.Target.CreateTarget());
    }

    public SiamFCppPairCrop Crop { get; } = crop ?? throw new ArgumentNullException(nameof(crop));

    public DenseboxTarget Target { get; } = target ?? throw new ArgumentNullException(nameof(target));

    /// <summary>Builds a sample from decoded frames (CV_8UC3 BGR, not modified) and their annotation boxes
    /// (videoanalyst's inclusive corners, <see cref="SiamFCppPairCrop.AnnotationBox"/>).</summary>
    public SiamFCppTrainingSample Build(Mat templateFrame, BoxXyxy templateBox, Mat searchFrame, BoxXyxy searchBox,
        bool negativePair, IUniformDraws draws)
    {
        using var cropped = Crop.Crop(templateFrame, templateBox, searchFrame, searchBox, draws);
        var labels = Target.ForPair(cropped.Geometry.SearchBox, negativePair);
        using var scope = NewDisposeScope();
        var sample = new SiamFCppTrainingSample(
            TensorImage.ToTensor(cropped.Template).squeeze(0),
            TensorImage.ToTensor(cropped.Search).squeeze(0),
            BoxTensor(cropped.Geometry.TemplateBox),
            BoxTensor(cropped.Geometry.SearchBox),
            labels.ClsTensor(), labels.CtrTensor(), labels.BoxTensor(),
            tensor(negativePair ? 1L : 0L));
        foreach (var (_, t) in sample.NamedTensors) t.MoveToOuterDisposeScope();
        return sample;
    }

    private static Tensor BoxTensor(BoxXyxy b) =>
        tensor(new[] { (float)b.X1, (float)b.Y1, (float)b.X2, (float)b.Y2 }, ScalarType.Float32);
}
