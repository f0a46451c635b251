using TrackSharp.Checkpoints;
using TrackSharp.Data.Processing;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Data.Processing;

/// <summary>pytracking's sample_box_gmm densities against golden/trdimp_small/train_step.npz (128 proposals per test
/// frame around test_anno, TrDiMP's sigmas) and the sampler's own consistency.</summary>
public sealed class BoxGmmProposalsTests
{
    private static readonly string Golden = Path.Combine(TestPaths.Shared, "golden", "trdimp_small", "train_step.npz");

    [Fact]
    public void DensitiesOfTheReferenceProposalsMatchItsDensities()
    {
        using var npz = Npz.Load(Golden);
        var anno = npz["test_anno"].ToFloatArray();
        var proposals = npz["test_proposals"].ToFloatArray();
        var proposalDensity = npz["proposal_density"].ToFloatArray();
        var gtDensity = npz["gt_density"].ToFloatArray();
        double worstProposal = 0, worstGt = 0;
        for (int fs = 0; fs < 6; fs++)
        {
            var mean = new BoxXywh(anno[fs * 4], anno[fs * 4 + 1], anno[fs * 4 + 2], anno[fs * 4 + 3]);
            var boxes = Enumerable.Range(0, 128).Select(k =>
            {
                int o = (fs * 128 + k) * 4;
                return new BoxXywh(proposals[o], proposals[o + 1], proposals[o + 2], proposals[o + 3]);
            }).ToList();
            var (pd, gd) = BoxGmmProposals.Densities(mean, boxes, BoxGmmProposals.TrDiMPProposalSigma, BoxGmmProposals.TrDiMPGroundTruthSigma);
            for (int k = 0; k < 128; k++)
            {
                // relative error: the offsets are recovered from float32 boxes (log and division), so ~1e-5 of the
                // offset, amplified by the narrow (σ = 0.05) component's exponent
                float ep = proposalDensity[fs * 128 + k], eg = gtDensity[fs * 128 + k];
                worstProposal = Math.Max(worstProposal, Math.Abs(pd[k] - ep) / Math.Max(Math.Abs(ep), 1e-3));
                worstGt = Math.Max(worstGt, Math.Abs(gd[k] - eg) / Math.Max(Math.Abs(eg), 1e-3));
            }
        }
        Assert.True(worstProposal < 1e-3, $"proposal density relative error {worstProposal}");
        Assert.True(worstGt < 1e-3, $"gt density relative error {worstGt}");
    }

    [Fact]
    public void SampledProposalsFollowTheRelativeParametrisationAndTheirDensities()
    {
        var mean = new BoxXywh(100, 50, 40, 80);
        // component 0 (σ 0.05); normals 1, -2, 0.5, 0: cx = (120/40 + 0.05)·40 = 122, cy = (90/80 − 0.1)·80 = 82,
        // w = 40·e^0.025, h = 80
        var draws = new ReplayAugmentationDraws([], normals: [1, -2, 0.5, 0], indices: [0]);
        var p = BoxGmmProposals.Sample(mean, BoxGmmProposals.TrDiMPProposalSigma, BoxGmmProposals.TrDiMPGroundTruthSigma, 1, draws);
        double w = 40 * Math.Exp(0.025);
        Assert.Equal(122 - w / 2, p.Boxes[0].X, 9);
        Assert.Equal(82 - 40, p.Boxes[0].Y, 9);
        Assert.Equal(w, p.Boxes[0].Width, 9);
        Assert.Equal(80, p.Boxes[0].Height, 9);
        // density: mean over the 2 components of Π N(offset; σ); offsets (0.05, -0.1, 0.025, 0)
        static double N(double x, double s) => Math.Exp(-0.5 * x * x / (s * s)) / (Math.Sqrt(2 * Math.PI) * s);
        double narrow = N(0.05, 0.05) * N(-0.1, 0.05) * N(0.025, 0.05) * N(0, 0.05);
        double wide = N(0.05, 0.5) * N(-0.1, 0.5) * N(0.025, 0.5) * N(0, 0.5);
        Assert.Equal((float)((narrow + wide) / 2), p.ProposalDensity[0], 3);
        Assert.Equal((float)narrow, p.GroundTruthDensity[0], 3);

        var withMean = BoxGmmProposals.Sample(mean, BoxGmmProposals.TrDiMPProposalSigma, null, 2,
            new RandomAugmentationDraws(new Random(1)), addMeanBox: true);
        Assert.Equal(3, withMean.Boxes.Length);
        Assert.Equal(mean, withMean.Boxes[0]);
        Assert.Equal((-1f, 1f), (withMean.ProposalDensity[0], withMean.GroundTruthDensity[0]));
        Assert.Equal(0f, withMean.GroundTruthDensity[1]); // no gt_sigma
    }
}
