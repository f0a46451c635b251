using System.Runtime.InteropServices;
using OpenCvSharp;
using TrackSharp.Data.Crop511;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Processing;
using TrackSharp.Data.Sampling;
using TrackSharp.Data.Targets;
using TrackSharp.Geometry;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamBAN.Training;

/// <summary>
/// Builds SiamBAN training samples as pysot's <c>BANDataset.__getitem__</c> does: the pair from a
/// <see cref="SiamPairSampler"/> over crop511 datasets (negative and gray draws included), both crop511 images read,
/// the target boxes placed by <see cref="Crop511Geometry.TargetInCrop"/>, the template and search augmented
/// (<see cref="PysotAugmentation"/>, template first) and the search box labelled by <see cref="PointTarget"/>.
/// Every random number comes from the loader's per-sample <see cref="Random"/>, so a sample depends on (seed, epoch,
/// index, attempt) only. A redraw (attempt a &gt; 0, after an unreadable crop) takes the sampler's pair at
/// <c>(i + a·7919) mod EpochLength</c>.
/// </summary>
public sealed class SiamBanSampleFunction
{
    private readonly SiamPairSampler _sampler;
    private readonly IReadOnlyList<Crop511Dataset> _datasets;
    private readonly SiamBanTrainSettings _settings;
    private readonly PysotAugmentation _templateAugmentation;
    private readonly PysotAugmentation _searchAugmentation;
    private readonly PointTarget _pointTarget;

    public SiamBanSampleFunction(SiamPairSampler sampler, IReadOnlyList<Crop511Dataset> datasets, SiamBanTrainSettings settings)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(datasets);
        if (datasets.Count != sampler.Subsets.Count)
            throw new ArgumentException($"{datasets.Count} datasets for a sampler of {sampler.Subsets.Count} subsets", nameof(datasets));
        _sampler = sampler;
        _datasets = datasets;
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _templateAugmentation = new PysotAugmentation(settings.TemplateAugmentation);
        _searchAugmentation = new PysotAugmentation(settings.SearchAugmentation);
        _pointTarget = new PointTarget(settings.PointStride, settings.OutputSize, settings.SearchSize, settings.PosNum,
            settings.TotalNum, settings.NegNum);
    }

    /// <summary>The function the loader calls.</summary>
    public SampleFunction<SiamBanTrainingSample> AsSampleFunction() => Build;

    /// <summary>The sample of <paramref name="context"/>.</summary>
    /// <exception cref="FrameReadException">A crop file is missing or cannot be decoded.</exception>
    public SiamBanTrainingSample Build(SampleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        long i = ((long)context.Index + (long)context.Attempt * 7919) % _sampler.EpochLength;
        var pair = _sampler.Sample(context.Epoch, (int)i);
        var draws = new RandomAugmentationDraws(context.Random);
        using var templateImage = Read(pair.Template);
        using var searchImage = Read(pair.Search);
        var templateBox = BoxIn(templateImage, pair.Template);
        var searchBox = BoxIn(searchImage, pair.Search);
        using var template = _templateAugmentation.Apply(templateImage, templateBox, _settings.ExemplarSize, pair.Gray, draws);
        using var search = _searchAugmentation.Apply(searchImage, searchBox, _settings.SearchSize, pair.Gray, draws);
        var labels = _pointTarget.Compute(search.Box, pair.Negative, new RandomPermutationSource(context.Random.Next()));
        var b = search.Box;
        return new SiamBanTrainingSample(ToChw(template.Image), ToChw(search.Image), labels.ClsTensor(), labels.DeltaTensor(),
            tensor(new[] { (float)b.X1, (float)b.Y1, (float)b.X2, (float)b.Y2 }));
    }

    private BoxXyxy BoxIn(Mat image, FrameRef frame)
    {
        var box = _datasets[frame.Dataset].Box(frame.Sequence, frame.Frame);
        return Crop511Geometry.TargetInCrop(image.Width, image.Height, box.X2 - box.X1, box.Y2 - box.Y1, 0.5, _settings.ExemplarSize);
    }

    private Mat Read(FrameRef frame)
    {
        var dataset = _datasets[frame.Dataset];
        string path = dataset.ImagePath(frame.Sequence, frame.Frame);
        Mat image;
        try
        {
            image = Cv2.ImRead(path, ImreadModes.Color);
        }
        catch (OpenCvSharpException e)
        {
            throw new FrameReadException(dataset.SequenceName(frame.Sequence), frame.Frame, path, e);
        }
        if (image.Empty())
        {
            image.Dispose();
            throw new FrameReadException(dataset.SequenceName(frame.Sequence), frame.Frame, path,
                new IOException(File.Exists(path) ? "cannot decode the image" : "file not found"));
        }
        return image;
    }

    /// <summary>A CV_32FC3 HWC image as a float32 [3, H, W] tensor.</summary>
    private static Tensor ToChw(Mat image)
    {
        int h = image.Rows, w = image.Cols;
        var data = new float[h * w * 3];
        using (var continuous = image.IsContinuous() ? null : image.Clone())
            Marshal.Copy((continuous ?? image).Data, data, 0, data.Length);
        using var hwc = tensor(data, new long[] { h, w, 3 });
        return hwc.permute(2, 0, 1).contiguous();
    }
}
