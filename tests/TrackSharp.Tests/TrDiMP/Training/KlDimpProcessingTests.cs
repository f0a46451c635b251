using OpenCvSharp;
using TrackSharp.Data.Processing;
using TrackSharp.Geometry;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.TrDiMP.Training;

/// <summary>
/// <see cref="KlDimpProcessing"/> (pytracking KLDiMPProcessing with transformer_dimp.py's transforms): output shapes, the
/// label peak at the box centre (hand formula: cell index = centre / 16 on both label grids), the proposal densities
/// against the GMM formula computed here, and the joint flip shared by all six frames of a sample while the per-frame
/// flip mirrors single crops (box <c>x' = (S − 1) − (x + w)</c>).
/// </summary>
public sealed class KlDimpProcessingTests
{
    /// <summary>200×160 frame: left half dark (30), right half bright (220), a grey 20×20 target at (90, 70).</summary>
    private static Mat SplitFrame()
    {
        var m = new Mat(160, 200, MatType.CV_8UC3, new Scalar(30, 30, 30));
        m[new Rect(100, 0, 100, 160)].SetTo(new Scalar(220, 220, 220));
        m[new Rect(90, 70, 20, 20)].SetTo(new Scalar(128, 128, 128));
        return m;
    }

    private static readonly BoxXywh Target = new(90, 70, 20, 20);

    private static KlDimpSample Process(KlDimpProcessingOptions options, Mat frame, BoxXywh box, int seed)
    {
        var frames = Enumerable.Repeat(frame, 3).ToList();
        var boxes = Enumerable.Repeat(box, 3).ToList();
        var sample = new KlDimpProcessing(options).Process(frames, boxes, frames, boxes, new Random(seed));
        Assert.NotNull(sample);
        return sample!;
    }

    [Fact]
    public void OutputHasLtrsShapesForThreeTrainAndThreeTestFrames()
    {
        using var frame = SplitFrame();
        var options = new KlDimpProcessingOptions { OutputSize = 64, ProposalsPerFrame = 16 };
        using var s = Process(options, frame, Target, seed: 3);
        // 64 px crops: 4×4 features; even 4×4 filter: 5×5 score map (LBHinge label, densities), 4×4 transformer mask.
        var expected = new Dictionary<string, long[]>
        {
            [KlDimpSample.TrainImagesKey] = [3, 3, 64, 64],
            [KlDimpSample.TestImagesKey] = [3, 3, 64, 64],
            [KlDimpSample.TrainAnnoKey] = [3, 4],
            [KlDimpSample.TestAnnoKey] = [3, 4],
            [KlDimpSample.TrainLabelKey] = [3, 4, 4],
            [KlDimpSample.TestLabelKey] = [3, 5, 5],
            [KlDimpSample.TrainLabelDensityKey] = [3, 5, 5],
            [KlDimpSample.TestLabelDensityKey] = [3, 5, 5],
            [KlDimpSample.TestProposalsKey] = [3, 16, 4],
            [KlDimpSample.ProposalDensityKey] = [3, 16],
            [KlDimpSample.GtDensityKey] = [3, 16],
        };
        Assert.Equal(expected.Keys.Order(), s.NamedTensors.Select(t => t.Key).Order());
        foreach (var (key, shape) in expected)
        {
            Assert.Equal(shape, s[key].shape);
            Assert.Equal(ScalarType.Float32, s[key].dtype);
        }
        Assert.Equal(6, s.Draws.Brightness.Count);
        Assert.All(s.Draws.Brightness, b => Assert.InRange(b, 0.8, 1.2)); // ToTensorAndJitter(0.2)
    }

    [Fact]
    public void LabelPeaksLieAtTheBoxCentres()
    {
        using var frame = SplitFrame();
        var options = new KlDimpProcessingOptions { OutputSize = 128, ProposalsPerFrame = 8, JointFlipProbability = 0.5, FlipProbability = 0.5 };
        int checkedFrames = 0;
        for (int seed = 0; seed < 12; seed++)
        {
            var box = new BoxXywh(60 + 5 * seed, 50 + 3 * seed, 16 + seed, 24 - seed);
            using var s = Process(options, frame, box, seed);
            foreach (var (annoKey, labelKey, cells) in new[]
                     {
                         (KlDimpSample.TrainAnnoKey, KlDimpSample.TrainLabelKey, 8),
                         (KlDimpSample.TestAnnoKey, KlDimpSample.TestLabelKey, 9),
                         (KlDimpSample.TestAnnoKey, KlDimpSample.TestLabelDensityKey, 9),
                     })
            {
                var anno = s[annoKey].data<float>().ToArray();
                var label = s[labelKey];
                for (int f = 0; f < 3; f++)
                {
                    // Hand formula: centre cell = feat·(c − S/2)/S + 0.5 on the grid −(F−1)/2, …, i.e. index c/16.
                    double cx = (anno[4 * f] + anno[4 * f + 2] / 2.0) / 16, cy = (anno[4 * f + 1] + anno[4 * f + 3] / 2.0) / 16;
                    if (cx < 0 || cy < 0 || cx > cells - 1 || cy > cells - 1) continue;
                    long peak = label[f].argmax().item<long>();
                    long row = peak / cells, col = peak % cells;
                    Assert.True(Math.Abs(col - cx) <= 0.5 + 1e-4 && Math.Abs(row - cy) <= 0.5 + 1e-4,
                        $"seed {seed}, {labelKey}[{f}]: peak at (row {row}, col {col}), box centre at cell ({cy:F2}, {cx:F2})");
                    checkedFrames++;
                }
            }
        }
        Assert.True(checkedFrames > 90, $"only {checkedFrames} of 108 label maps had their centre on the map");
    }

    private static double Normal(double x, double sigma) => Math.Exp(-0.5 * x * x / (sigma * sigma)) / (Math.Sqrt(2 * Math.PI) * sigma);

    [Fact]
    public void ProposalDensitiesFollowTheGmmFormula()
    {
        using var frame = SplitFrame();
        var options = new KlDimpProcessingOptions { OutputSize = 64, ProposalsPerFrame = 128 };
        using var s = Process(options, frame, Target, seed: 11);
        var anno = s[KlDimpSample.TestAnnoKey].data<float>().ToArray();
        var proposals = s[KlDimpSample.TestProposalsKey].data<float>().ToArray();
        var pd = s[KlDimpSample.ProposalDensityKey].data<float>().ToArray();
        var gd = s[KlDimpSample.GtDensityKey].data<float>().ToArray();
        int near = 0;
        for (int f = 0; f < 3; f++)
        {
            double mw = anno[4 * f + 2], mh = anno[4 * f + 3];
            double mcx = anno[4 * f] + mw / 2, mcy = anno[4 * f + 1] + mh / 2;
            for (int i = 0; i < 128; i++)
            {
                int o = (f * 128 + i) * 4;
                double w = proposals[o + 2], h = proposals[o + 3];
                // transformer_dimp.py: proposal_sigma [(0.05, 0.05), (0.5, 0.5)], gt_sigma (0.05, 0.05); offsets in
                // [cx/w0, cy/h0, log w, log h] of the ground-truth box.
                double dx = (proposals[o] + w / 2 - mcx) / mw, dy = (proposals[o + 1] + h / 2 - mcy) / mh;
                double dw = Math.Log(w) - Math.Log(mw), dh = Math.Log(h) - Math.Log(mh);
                double g(double sc, double ss) => Normal(dx, sc) * Normal(dy, sc) * Normal(dw, ss) * Normal(dh, ss);
                double expectedProposal = 0.5 * (g(0.05, 0.05) + g(0.5, 0.5));
                double expectedGt = g(0.05, 0.05);
                Assert.True(Math.Abs(pd[f * 128 + i] - expectedProposal) <= 2e-3 * expectedProposal + 1e-30,
                    $"frame {f}, proposal {i}: density {pd[f * 128 + i]} vs {expectedProposal}");
                Assert.True(Math.Abs(gd[f * 128 + i] - expectedGt) <= 2e-3 * expectedGt + 1e-6,
                    $"frame {f}, proposal {i}: ground-truth density {gd[f * 128 + i]} vs {expectedGt}");
                if (expectedGt > 1) near++;
            }
        }
        Assert.True(near > 0, "no proposal from the narrow component near the box");
    }

    /// <summary>Orientation of a crop: +1 when its left quarter is darker than its right quarter (as in the frame), −1 when mirrored.</summary>
    private static int Orientation(Tensor image)
    {
        double left = image[0, .., ..16].mean().item<float>(), right = image[0, .., 48..].mean().item<float>();
        Assert.True(Math.Abs(left - right) > 1, "the crop does not show both halves of the frame");
        return left < right ? 1 : -1;
    }

    [Fact]
    public void JointFlipMirrorsEveryFrameOfASampleAndTheCropFlipSingleFrames()
    {
        using var frame = SplitFrame();
        var still = new KlDimpProcessingOptions
        {
            OutputSize = 64, ProposalsPerFrame = 4, CenterJitter = (0, 0), ScaleJitter = (0, 0), GrayscaleProbability = 0,
            BrightnessJitter = 0, JointFlipProbability = 0.5, FlipProbability = 0,
        };
        var seen = new HashSet<int>();
        for (int seed = 0; seed < 16; seed++)
        {
            using var s = Process(still, frame, Target, seed);
            int expected = s.Draws.JointFlip ? -1 : 1;
            foreach (var key in new[] { KlDimpSample.TrainImagesKey, KlDimpSample.TestImagesKey })
                for (int f = 0; f < 3; f++)
                    Assert.Equal(expected, Orientation(s[key][f]));
            seen.Add(expected);
        }
        Assert.Equal(2, seen.Count); // both outcomes of the p = 0.5 joint flip in 16 samples

        // Per-frame flip only: each crop follows its own draw; with no jitter every unflipped crop shows the box at the same
        // place, and a flipped one at x' = (64 − 1) − (x + w).
        var perFrame = still with { JointFlipProbability = 0, FlipProbability = 0.5 };
        int flipped = 0, kept = 0;
        for (int seed = 0; seed < 8; seed++)
        {
            using var s = Process(perFrame, frame, Target, seed);
            var anno = cat([s[KlDimpSample.TrainAnnoKey], s[KlDimpSample.TestAnnoKey]]).data<float>().ToArray();
            using var plain = Process(still with { JointFlipProbability = 0 }, frame, Target, seed);
            var reference = plain[KlDimpSample.TrainAnnoKey].data<float>().ToArray();
            for (int f = 0; f < 6; f++)
            {
                var image = f < 3 ? s[KlDimpSample.TrainImagesKey][f] : s[KlDimpSample.TestImagesKey][f - 3];
                bool flip = s.Draws.FrameFlips[f];
                Assert.Equal(flip ? -1 : 1, Orientation(image));
                float x = reference[0], w = reference[2];
                Assert.Equal(flip ? 63 - (x + w) : x, anno[4 * f], 4);
                Assert.Equal(w, anno[4 * f + 2], 4);
                if (flip) flipped++;
                else kept++;
            }
        }
        Assert.True(flipped > 0 && kept > 0, $"per-frame flips: {flipped} flipped, {kept} kept");
    }
}
