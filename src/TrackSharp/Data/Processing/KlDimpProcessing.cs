using OpenCvSharp;
using TorchSharp;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Targets;
using TrackSharp.Geometry;
using static TorchSharp.torch;

namespace TrackSharp.Data.Processing;

/// <summary>
/// pytracking's <c>KLDiMPProcessing</c> (ltr/data/processing.py, mode "sequence") with the transforms of TrDiMP's
/// <c>transformer_dimp.py</c>, drawing from a <see cref="Random"/> instead of torch/NumPy/Python RNGs (same formulas and
/// order of decisions, not the same stream). For one sequence sample (train frames, test frames):
/// <list type="number">
/// <item>Joint transform on the full frames, rolled once and reused for the test frames (<c>new_roll=False</c>): grayscale
///   with <see cref="KlDimpProcessingOptions.GrayscaleProbability"/> (gray copied to 3 channels), horizontal flip with
///   <see cref="KlDimpProcessingOptions.JointFlipProbability"/>, a box's corners mapped by <c>x' = (W − 1) − x</c>.</item>
/// <item>Per split (train, then test): every box jittered (<c>_get_jittered_box</c>: size <c>wh·exp(randn·scale)</c>, centre
///   moved by <c>sqrt(prod(size))·centre_jitter·(rand − 0.5)</c>), cropped with <see cref="DimpTargetCrop"/>
///   (<c>target_image_crop</c>: factor, output size, crop type, max scale change) and the ground truth mapped into the
///   crop; then per frame (<c>joint=False</c>: its own roll) <c>ToTensorAndJitter</c> (<c>clamp(v·b/255, 0, 1)</c>, b uniform
///   in [max(0, 1 − j), 1 + j]), <c>RandomHorizontalFlip</c> of the crop (<c>x' = (S − 1) − x</c>) and <c>Normalize</c>.</item>
/// <item>Per test frame, <see cref="KlDimpProcessingOptions.ProposalsPerFrame"/> proposals around its box by
///   <see cref="BoxGmmProposals.Sample"/> (<c>sample_box_gmm</c>) with their proposal and ground-truth densities.</item>
/// <item>Labels from the final boxes (<see cref="DimpGaussianLabel"/>): the transformer's train mask (sigma factor 0.1, no
///   end pad), the LBHinge test label and the label densities of both splits (sigma factor
///   <c>output_sigma_factor / search_area_factor</c>).</item>
/// </list>
/// A draw is rejected (null, the loader redraws) where the reference would fail or train on nonsense: a ground-truth
/// box without area, or a crop <see cref="DimpTargetCrop"/> refuses ("Too small bounding box", no overlap).
/// </summary>
public sealed class KlDimpProcessing
{
    private readonly Tensor _mean, _std;

    public KlDimpProcessing(KlDimpProcessingOptions? options = null)
    {
        Options = options ?? KlDimpProcessingOptions.TrDiMP;
        Options.Validate();
        _mean = torch.tensor(Options.Mean.ToArray()).view(3, 1, 1).DetachFromDisposeScope();
        _std = torch.tensor(Options.Std.ToArray()).view(3, 1, 1).DetachFromDisposeScope();
    }

    public KlDimpProcessingOptions Options { get; }

    /// <summary>Reads the frames of <paramref name="sequence"/> (each distinct frame once) and processes them with
    /// their ground-truth boxes.</summary>
    /// <returns>The sample, or null when the draw is rejected.</returns>
    /// <exception cref="FrameReadException">A frame is missing or cannot be decoded (names sequence and frame).</exception>
    public KlDimpSample? Process(TrackingSequence sequence, IReadOnlyList<int> trainFrames, IReadOnlyList<int> testFrames, Random random)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(trainFrames);
        ArgumentNullException.ThrowIfNull(testFrames);
        var gt = sequence.GroundTruth;
        var images = new Dictionary<int, Mat>();
        try
        {
            foreach (int f in trainFrames.Concat(testFrames))
                if (!images.ContainsKey(f)) images[f] = sequence.ReadSampleFrame(f);
            return Process(trainFrames.Select(f => images[f]).ToList(), trainFrames.Select(f => gt[f]).ToList(),
                testFrames.Select(f => images[f]).ToList(), testFrames.Select(f => gt[f]).ToList(), random);
        }
        finally
        {
            foreach (var m in images.Values) m.Dispose();
        }
    }

    /// <summary>Processes frames (BGR uint8 as decoded; not modified) with their boxes (pixel xywh).</summary>
    /// <returns>The sample, or null when the draw is rejected.</returns>
    public KlDimpSample? Process(IReadOnlyList<Mat> trainImages, IReadOnlyList<BoxXywh> trainBoxes, IReadOnlyList<Mat> testImages,
        IReadOnlyList<BoxXywh> testBoxes, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (trainImages.Count == 0 || testImages.Count == 0)
            throw new ArgumentException("KLDiMP processing needs at least one train and one test frame");
        if (trainImages.Count != trainBoxes.Count || testImages.Count != testBoxes.Count)
            throw new ArgumentException("one box per frame is needed");
        if (trainBoxes.Concat(testBoxes).Any(b => !b.IsValid)) return null;

        bool gray = random.NextBool(Options.GrayscaleProbability);
        bool jointFlip = random.NextBool(Options.JointFlipProbability);
        var brightness = new List<double>();
        var flips = new List<bool>();
        var owned = new List<Mat>();
        using var scope = NewDisposeScope();
        try
        {
            var train = Split(trainImages, trainBoxes, gray, jointFlip, (Options.CenterJitter.Train, Options.ScaleJitter.Train), random,
                brightness, flips, owned);
            if (train is null) return null;
            var test = Split(testImages, testBoxes, gray, jointFlip, (Options.CenterJitter.Test, Options.ScaleJitter.Test), random,
                brightness, flips, owned);
            if (test is null) return null;

            var draws = new RandomAugmentationDraws(random);
            var proposals = test.Value.Boxes
                .Select(b => BoxGmmProposals.Sample(b, Options.ProposalSigma, Options.GroundTruthSigma, Options.ProposalsPerFrame, draws))
                .ToList();

            int s = Options.OutputSize, f = Options.FeatureSize, k = Options.KernelSize;
            double sigma = Options.LabelSigmaFactor;
            var tensors = new Dictionary<string, Tensor>
            {
                [KlDimpSample.TrainImagesKey] = torch.stack(train.Value.Images),
                [KlDimpSample.TestImagesKey] = torch.stack(test.Value.Images),
                [KlDimpSample.TrainAnnoKey] = Boxes(train.Value.Boxes),
                [KlDimpSample.TestAnnoKey] = Boxes(test.Value.Boxes),
                [KlDimpSample.TrainLabelKey] = Labels(train.Value.Boxes, b => DimpGaussianLabel.TrDiMPTrainLabel(b, f, k, s)),
                [KlDimpSample.TestLabelKey] = Labels(test.Value.Boxes, b => DimpGaussianLabel.TrDiMPTestLabel(b, f, k, s, sigma)),
                [KlDimpSample.TrainLabelDensityKey] = Labels(train.Value.Boxes, b => DimpGaussianLabel.TrDiMPLabelDensity(b, f, k, s, sigma)),
                [KlDimpSample.TestLabelDensityKey] = Labels(test.Value.Boxes, b => DimpGaussianLabel.TrDiMPLabelDensity(b, f, k, s, sigma)),
                [KlDimpSample.TestProposalsKey] = torch.stack(proposals.Select(p => Boxes(p.Boxes)).ToList()),
                [KlDimpSample.ProposalDensityKey] = torch.stack(proposals.Select(p => torch.tensor(p.ProposalDensity)).ToList()),
                [KlDimpSample.GtDensityKey] = torch.stack(proposals.Select(p => torch.tensor(p.GroundTruthDensity)).ToList()),
            };
            foreach (var t in tensors.Values) t.MoveToOuterDisposeScope();
            return new KlDimpSample(tensors, new KlDimpDraws(gray, jointFlip, brightness, flips));
        }
        finally
        {
            foreach (var m in owned) m.Dispose();
        }
    }

    /// <summary>One split: joint transform, jitter, crop and per-frame transform of every frame.</summary>
    private (List<Tensor> Images, List<BoxXywh> Boxes)? Split(IReadOnlyList<Mat> images, IReadOnlyList<BoxXywh> boxes, bool gray,
        bool jointFlip, (double Center, double Scale) jitter, Random random, List<double> brightness, List<bool> flips, List<Mat> owned)
    {
        var frames = new List<Mat>(images.Count);
        var gts = new List<BoxXywh>(images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            var box = boxes[i];
            frames.Add(JointTransform(images[i], ref box, gray, jointFlip, owned));
            gts.Add(box);
        }
        var settings = new CropSettings(Options.SearchAreaFactor, Options.OutputSize, jitter.Center, jitter.Scale);
        var jittered = gts.Select(b => OSTrackProcessing.JitterBox(b, settings, random)).ToList();

        var crops = new List<(Mat Crop, BoxXywh Box)>(frames.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            if (!jittered[i].IsValid) return null;
            Mat crop;
            BoxXywh cropBox;
            try
            {
                (crop, cropBox) = DimpTargetCrop.SampleTargetAdaptive(frames[i], jittered[i], Options.SearchAreaFactor, Options.OutputSize,
                    Options.CropMode, Options.MaxScaleChange);
            }
            catch (ArgumentException)
            {
                return null; // "Too small bounding box" or a crop beside the image: redraw
            }
            owned.Add(crop);
            crops.Add((crop, DimpTargetCrop.BoxToCrop(gts[i], cropBox, Options.OutputSize)));
        }

        var tensors = new List<Tensor>(crops.Count);
        var result = new List<BoxXywh>(crops.Count);
        foreach (var (crop, box) in crops)
        {
            double b = random.NextUniform(Math.Max(0, 1 - Options.BrightnessJitter), 1 + Options.BrightnessJitter);
            bool flip = random.NextBool(Options.FlipProbability);
            brightness.Add(b);
            flips.Add(flip);
            tensors.Add(ToTensor(crop, b, flip));
            result.Add(flip ? FlipBox(box, crop.Width) : box);
        }
        return (tensors, result);
    }

    /// <summary>The joint transform of one full frame: the image by <see cref="JointFrameTransform"/>, the box by
    /// <see cref="FlipBox"/> (float32, as pytracking). A new frame is added to <paramref name="owned"/>.</summary>
    private static Mat JointTransform(Mat image, ref BoxXywh box, bool gray, bool flip, List<Mat> owned)
    {
        var transformed = JointFrameTransform.Apply(image, gray, flip);
        if (transformed is null) return image;
        owned.Add(transformed);
        if (flip) box = FlipBox(box, transformed.Width);
        return transformed;
    }

    /// <summary><c>RandomHorizontalFlip.transform_bbox</c>: both corners mapped by <c>x' = (W − 1) − x</c> in float32, then
    /// the top-left is the smaller and the width the difference.</summary>
    public static BoxXywh FlipBox(BoxXywh box, int imageWidth)
    {
        float x1 = (float)box.X, x2 = x1 + (float)box.Width, last = imageWidth - 1;
        float f1 = last - x1, f2 = last - x2;
        float x = MathF.Min(f1, f2);
        return box with { X = x, Width = MathF.Max(f1, f2) - x };
    }

    /// <summary><c>ToTensorAndJitter</c> + <c>RandomHorizontalFlip</c> + <c>Normalize</c> of a BGR uint8 crop: an RGB
    /// float32 (3, S, S) tensor <c>(clamp(v·(b/255), 0, 1) − mean)/std</c>, mirrored when <paramref name="flip"/>.</summary>
    private Tensor ToTensor(Mat crop, double brightness, bool flip)
    {
        if (crop.Type() != MatType.CV_8UC3) throw new ArgumentException($"expected a CV_8UC3 crop, got {crop.Type()}", nameof(crop));
        using var continuous = crop.IsContinuous() ? null : crop.Clone();
        var source = continuous ?? crop;
        int h = source.Rows, w = source.Cols;
        var bytes = new byte[h * w * 3];
        System.Runtime.InteropServices.Marshal.Copy(source.Data, bytes, 0, bytes.Length);
        var hwc = torch.tensor(bytes, [h, w, 3], ScalarType.Byte);
        var rgb = hwc.index_select(2, torch.tensor(new long[] { 2, 1, 0 })).permute(2, 0, 1).to(ScalarType.Float32);
        var image = rgb.mul(brightness / 255.0).clamp(0.0, 1.0);
        if (flip) image = image.flip(2);
        return image.sub(_mean).div(_std);
    }

    private static Tensor Boxes(IReadOnlyList<BoxXywh> boxes)
    {
        var values = new float[boxes.Count * 4];
        for (int i = 0; i < boxes.Count; i++)
        {
            values[4 * i] = (float)boxes[i].X;
            values[4 * i + 1] = (float)boxes[i].Y;
            values[4 * i + 2] = (float)boxes[i].Width;
            values[4 * i + 3] = (float)boxes[i].Height;
        }
        return torch.tensor(values, [boxes.Count, 4]);
    }

    private static Tensor Labels(IReadOnlyList<BoxXywh> boxes, Func<BoxXywh, float[,]> label) =>
        torch.stack(boxes.Select(b => torch.tensor(label(b))).ToList());
}
