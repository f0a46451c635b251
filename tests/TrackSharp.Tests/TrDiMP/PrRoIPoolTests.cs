using TrackSharp.Checkpoints;
using TrackSharp.Trackers.TrDiMP;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.TrDiMP;

/// <summary><see cref="PrRoIPool"/> against prroi_cases.npz (forward, gradient w.r.t. the features and w.r.t. the
/// boxes, 8 boxes incl. partly outside, tiny, zero width, inverted and fully outside) and a hand-derived identity.</summary>
public sealed class PrRoIPoolTests(ITestOutputHelper output)
{
    private const double Tol = 1e-5;

    [Fact]
    public void GoldenCasesForwardAndGradients()
    {
        using var golden = Npz.Load(TrDiMPGolden.File("prroi_cases.npz"));
        using var scope = NewDisposeScope();
        var feat = golden.Tensor("feat").requires_grad_(true);
        var rois = golden.Tensor("rois").requires_grad_(true);
        var pooledHw = golden["pooled_hw"].ToLongArray();
        double scale = golden["spatial_scale"].ToDoubleArray()[0];
        Assert.Equal(0.125, scale);

        var outp = PrRoIPool.Pool(feat, rois, (int)pooledHw[0], (int)pooledHw[1], scale);
        (outp * golden.Tensor("grad_out")).sum().backward();

        double eOut = TrDiMPGolden.MaxAbsError(golden.Tensor("out"), outp);
        double eFeat = TrDiMPGolden.MaxAbsError(golden.Tensor("grad_feat"), feat.grad!);
        double eRois = TrDiMPGolden.MaxAbsError(golden.Tensor("grad_rois"), rois.grad!);
        output.WriteLine($"max abs error: out {eOut:E2}, grad_feat {eFeat:E2}, grad_rois {eRois:E2}");
        Assert.True(eOut <= Tol, $"prroi_cases.npz:out error {eOut:E3}");
        Assert.True(eFeat <= Tol, $"prroi_cases.npz:grad_feat error {eFeat:E3}");
        Assert.True(eRois <= Tol, $"prroi_cases.npz:grad_rois error {eRois:E3}");
        // Boxes 5 (zero width), 6 (x2 < x1) and 7 (outside the zero-extended map) pool to exactly 0.
        for (int k = 5; k < 8; k++) Assert.Equal(0.0, outp[k].abs().max().item<float>());
    }

    [Fact]
    public void UnitBinsEqualTwoByTwoAveragePooling()
    {
        // The integral of a bilinear patch over one cell between four pixel centres is the mean of the four corners.
        using var scope = NewDisposeScope();
        manual_seed(3);
        var feat = randn(1, 2, 5, 6);
        var roi = tensor(new float[] { 0, 0, 0, 5, 4 }).view(1, 5);
        var pooled = PrRoIPool.Pool(feat, roi, 4, 5, 1.0);
        var expected = nn.functional.avg_pool2d(feat, 2, 1);
        Assert.True(TrDiMPGolden.MaxAbsError(expected, pooled) < 1e-6);
    }

    [Fact]
    public void ConstantMapInsideGivesTheConstantAndHalfAtTheBorder()
    {
        // f = 1 on [0, H−1]×[0, W−1]; on the strip [−1, 0] it falls linearly to 0, so its mean there is 1/2.
        using var scope = NewDisposeScope();
        var feat = ones(1, 1, 4, 4);
        var rois = tensor(new float[] { 0, 0.5f, 0.5f, 2.5f, 2.5f, 0, -1, 0, 0, 3 }).view(2, 5);
        var pooled = PrRoIPool.Pool(feat, rois, 1, 1, 1.0);
        Assert.Equal(1.0, pooled[0, 0, 0, 0].item<float>(), 6);
        Assert.Equal(0.5, pooled[1, 0, 0, 0].item<float>(), 6);
    }
}
