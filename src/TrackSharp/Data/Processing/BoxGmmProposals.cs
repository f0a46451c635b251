using TrackSharp.Geometry;

namespace TrackSharp.Data.Processing;

/// <summary>Proposal boxes drawn around a box with their densities (pytracking's <c>sample_box_gmm</c>).</summary>
/// <param name="Boxes">The proposals, xywh.</param>
/// <param name="ProposalDensity">Density of each proposal under the proposal GMM (KL regression's importance weights).</param>
/// <param name="GroundTruthDensity">Density of each proposal under the ground-truth Gaussian (the KL target).</param>
public sealed record BoxProposals(BoxXywh[] Boxes, float[] ProposalDensity, float[] GroundTruthDensity);

/// <summary>
/// pytracking's <c>sample_box_gmm</c> (ltr/data/processing_utils.py), the proposal boxes KL-DiMP, PrDiMP and TrDiMP train
/// the IoU/box regressor with. Boxes live in the relative space <c>[cx/w₀, cy/h₀, log w, log h]</c> of the mean box
/// (w₀, h₀ its size); a proposal is the mean plus a zero-mean GMM draw whose components have standard deviations
/// <c>(σc, σc, σs, σs)</c>, one component per <c>proposal_sigma</c> pair, chosen uniformly. Its proposal density is the
/// GMM density (mean over components of the product of 1-D normal densities); its ground-truth density is the density
/// of the same offset under one Gaussian with <c>gt_sigma</c>, zero when <c>gt_sigma</c> is (0, 0) or absent.
/// TrDiMP: 128 boxes, <c>proposal_sigma = [(0.05, 0.05), (0.5, 0.5)]</c>, <c>gt_sigma = (0.05, 0.05)</c>.
/// </summary>
public static class BoxGmmProposals
{
    /// <summary>TrDiMP's <c>proposal_sigma</c>.</summary>
    public static IReadOnlyList<(double Center, double Size)> TrDiMPProposalSigma { get; } = [(0.05, 0.05), (0.5, 0.5)];

    /// <summary>TrDiMP's <c>gt_sigma</c>.</summary>
    public static (double Center, double Size) TrDiMPGroundTruthSigma { get; } = (0.05, 0.05);

    /// <summary>Draws <paramref name="count"/> proposals around <paramref name="mean"/>: per proposal one component
    /// index, then four normals (cx, cy, w, h), in the reference's order within a sample. The reference draws all
    /// indices first, then all normals; replaying a recorded torch stream needs that order instead. With
    /// <paramref name="addMeanBox"/> the mean box comes first with densities −1 and 1 (<c>add_mean_box</c>).</summary>
    public static BoxProposals Sample(BoxXywh mean, IReadOnlyList<(double Center, double Size)> proposalSigma,
        (double Center, double Size)? groundTruthSigma, int count, IAugmentationDraws draws, bool addMeanBox = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (proposalSigma.Count == 0) throw new ArgumentException("proposal_sigma needs at least one (centre, size) pair", nameof(proposalSigma));
        var components = new int[count];
        for (int i = 0; i < count; i++) components[i] = draws.Index(proposalSigma.Count);
        var offsets = new double[count][];
        for (int i = 0; i < count; i++)
        {
            var (c, s) = proposalSigma[components[i]];
            offsets[i] = [c * draws.Normal(), c * draws.Normal(), s * draws.Normal(), s * draws.Normal()];
        }
        var boxes = new BoxXywh[count];
        var (mcx, mcy, mlw, mlh) = ToRelative(mean, mean);
        for (int i = 0; i < count; i++)
        {
            double w = Math.Exp(mlw + offsets[i][2]), h = Math.Exp(mlh + offsets[i][3]);
            double cx = (mcx + offsets[i][0]) * mean.Width, cy = (mcy + offsets[i][1]) * mean.Height;
            boxes[i] = new BoxXywh(cx - 0.5 * w, cy - 0.5 * h, w, h);
        }
        var proposalDensity = offsets.Select(o => (float)GmmDensity(o, proposalSigma)).ToArray();
        var gtDensity = offsets.Select(o => (float)GroundTruthDensity(o, groundTruthSigma)).ToArray();
        if (addMeanBox)
            return new BoxProposals([mean, .. boxes], [-1f, .. proposalDensity], [1f, .. gtDensity]);
        return new BoxProposals(boxes, proposalDensity, gtDensity);
    }

    /// <summary>The densities of given proposals around <paramref name="mean"/> (the offsets are recovered from the
    /// boxes): what <see cref="Sample"/> returns with them.</summary>
    public static (float[] ProposalDensity, float[] GroundTruthDensity) Densities(BoxXywh mean, IReadOnlyList<BoxXywh> proposals,
        IReadOnlyList<(double Center, double Size)> proposalSigma, (double Center, double Size)? groundTruthSigma)
    {
        var m = ToRelative(mean, mean);
        var pd = new float[proposals.Count];
        var gd = new float[proposals.Count];
        for (int i = 0; i < proposals.Count; i++)
        {
            var p = ToRelative(proposals[i], mean);
            double[] o = [p.Cx - m.Cx, p.Cy - m.Cy, p.LogW - m.LogW, p.LogH - m.LogH];
            pd[i] = (float)GmmDensity(o, proposalSigma);
            gd[i] = (float)GroundTruthDensity(o, groundTruthSigma);
        }
        return (pd, gd);
    }

    /// <summary><c>rect_to_rel</c> with <c>sz_norm</c> = the mean box's size.</summary>
    private static (double Cx, double Cy, double LogW, double LogH) ToRelative(BoxXywh box, BoxXywh norm) =>
        ((box.X + 0.5 * box.Width) / norm.Width, (box.Y + 0.5 * box.Height) / norm.Height, Math.Log(box.Width), Math.Log(box.Height));

    private static double Normal(double x, double std) => Math.Exp(-0.5 * (x / std) * (x / std)) / (Math.Sqrt(2 * Math.PI) * std);

    private static double GmmDensity(double[] offset, IReadOnlyList<(double Center, double Size)> sigma)
    {
        double sum = 0;
        foreach (var (c, s) in sigma)
            sum += Normal(offset[0], c) * Normal(offset[1], c) * Normal(offset[2], s) * Normal(offset[3], s);
        return sum / sigma.Count;
    }

    private static double GroundTruthDensity(double[] offset, (double Center, double Size)? sigma) =>
        sigma is not { } g || (g.Center == 0 && g.Size == 0)
            ? 0
            : Normal(offset[0], g.Center) * Normal(offset[1], g.Center) * Normal(offset[2], g.Size) * Normal(offset[3], g.Size);
}
