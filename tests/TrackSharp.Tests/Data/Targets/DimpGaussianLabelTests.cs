using TrackSharp.Checkpoints;
using TrackSharp.Data.Targets;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Data.Targets;

/// <summary>DiMP/TrDiMP Gaussian labels against golden/trdimp_small/train_step.npz, produced by TransformerTrack's
/// KLDiMPProcessing from the stored crop boxes (train_anno, test_anno), and against hand calculation.</summary>
public sealed class DimpGaussianLabelTests
{
    private static readonly string Golden = Path.Combine(TestPaths.Shared, "golden", "trdimp_small", "train_step.npz");

    /// <summary>Frames × sequences boxes of an (F, S, 4) array.</summary>
    private static BoxXywh[,] Boxes(Npz npz, string key)
    {
        var a = npz[key];
        var v = a.ToFloatArray();
        int f = (int)a.Shape[0], s = (int)a.Shape[1];
        var result = new BoxXywh[f, s];
        for (int i = 0; i < f; i++)
        for (int j = 0; j < s; j++)
        {
            int o = (i * s + j) * 4;
            result[i, j] = new BoxXywh(v[o], v[o + 1], v[o + 2], v[o + 3]);
        }
        return result;
    }

    private static double MaxAbsDiff(Npz npz, string key, BoxXywh[,] boxes, Func<BoxXywh, float[,]> label)
    {
        var a = npz[key];
        var expected = a.ToFloatArray();
        int h = (int)a.Shape[2], w = (int)a.Shape[3];
        double max = 0;
        for (int i = 0; i < boxes.GetLength(0); i++)
        for (int j = 0; j < boxes.GetLength(1); j++)
        {
            var actual = label(boxes[i, j]);
            Assert.Equal((h, w), (actual.GetLength(0), actual.GetLength(1)));
            int o = (i * boxes.GetLength(1) + j) * h * w;
            for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
                max = Math.Max(max, Math.Abs(actual[r, c] - expected[o + r * w + c]));
        }
        return max;
    }

    [Fact]
    public void TrainTestLabelsAndDensitiesMatchTheReference()
    {
        using var npz = Npz.Load(Golden);
        var train = Boxes(npz, "train_anno");
        var test = Boxes(npz, "test_anno");
        Assert.True(MaxAbsDiff(npz, "train_label", train, b => DimpGaussianLabel.TrDiMPTrainLabel(b)) < 1e-6);
        Assert.True(MaxAbsDiff(npz, "test_label", test, b => DimpGaussianLabel.TrDiMPTestLabel(b)) < 1e-6);
        // densities peak near 1/(2π σ²) = 1/(2π (22/24)²) ≈ 0.19
        Assert.True(MaxAbsDiff(npz, "train_label_density", train, b => DimpGaussianLabel.TrDiMPLabelDensity(b)) < 1e-7);
        Assert.True(MaxAbsDiff(npz, "test_label_density", test, b => DimpGaussianLabel.TrDiMPLabelDensity(b)) < 1e-7);
    }

    [Fact]
    public void ABoxCentredInTheCropPeaksAtTheMapCentreWithTheEvenKernelHalfCellShift()
    {
        // Centre 176 = 352/2 → normalised 0; even kernel → centre +0.5 cell. Grid k = -10.5 .. 10.5 (22 cells, no end
        // pad): the two cells k = 0.5 (index 11) are the peak, value 1 there; k = -0.5 is one cell away: exp(-1/(2·2.2²)).
        var label = DimpGaussianLabel.TrDiMPTrainLabel(new BoxXywh(126, 126, 100, 100));
        Assert.Equal((22, 22), (label.GetLength(0), label.GetLength(1)));
        Assert.Equal(1f, label[11, 11], 6);
        Assert.Equal((float)Math.Exp(-1 / (2 * 2.2 * 2.2)), label[11, 10], 6);
        Assert.Equal((float)Math.Exp(-1 / (2 * 2.2 * 2.2)), label[10, 11], 6);

        // With the end pad (test label) the grid gains k = 11.5: 23×23, the peak stays at index 11.
        var test = DimpGaussianLabel.TrDiMPTestLabel(new BoxXywh(126, 126, 100, 100));
        Assert.Equal((23, 23), (test.GetLength(0), test.GetLength(1)));
        Assert.Equal(1f, test[11, 11], 6);

        // Columns follow x: a box moved right by 16 px (one cell) moves the peak one column.
        var moved = DimpGaussianLabel.TrDiMPTrainLabel(new BoxXywh(142, 126, 100, 100));
        Assert.Equal(1f, moved[11, 12], 6);
    }

    [Fact]
    public void TheDensityIntegratesToAboutOneAndTheUniformBiasAddsItsShare()
    {
        var density = DimpGaussianLabel.Compute(new BoxXywh(126, 126, 100, 100), 0.25 / 6, (4, 4), (22, 22), (352, 352), density: true);
        double sum = 0;
        foreach (float v in density) sum += v;
        Assert.Equal(1.0, sum, 3); // σ = 22/24 cells, far from the border: the discrete sum is the integral
        var biased = DimpGaussianLabel.Compute(new BoxXywh(126, 126, 100, 100), 0.25 / 6, (4, 4), (22, 22), (352, 352),
            density: true, uniformBias: 0.1);
        Assert.Equal(0.9 * density[0, 0] + 0.1 / (23 * 23), biased[0, 0], 7);
    }
}
