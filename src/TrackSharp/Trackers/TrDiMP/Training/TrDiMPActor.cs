using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP.Training;

/// <summary>
/// ltr's <c>KLDiMPActor</c> for TrDiMP: runs the training forward of <see cref="TrDiMPNet"/> (test scores of every
/// filter iterate, IoUNet scores of the proposals) and combines the KL box loss of the valid test frames with the
/// LBHinge test losses of the initial, intermediate and final filter iterates:
/// <c>w_bb·KL + w_clf·L[last] + w_init·L[0] + w_iter/(n−2)·Σ L[1..n−2]</c>.
/// </summary>
public sealed class TrDiMPActor(TrDiMPNet net, TrDiMPLossWeights? weights = null, LBHingeLoss? clfLoss = null, KLRegressionLoss? bbLoss = null)
{
    /// <summary>Annotations with x at or above this value mark a test frame without a box (ltr's convention).</summary>
    public const float InvalidAnnoThreshold = 99999.0f;

    public TrDiMPNet Net { get; } = net ?? throw new ArgumentNullException(nameof(net));
    public TrDiMPLossWeights Weights { get; } = weights ?? TrDiMPLossWeights.Default;
    public LBHingeLoss ClassificationLoss { get; } = clfLoss ?? new LBHingeLoss(0.05);
    public KLRegressionLoss BoxLoss { get; } = bbLoss ?? new KLRegressionLoss();

    /// <summary>Forward and losses of one batch; the returned loss keeps its graph for <c>backward()</c>.</summary>
    public TrDiMPActorOutput Compute(TrDiMPTrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var (targetScores, bbScores, trainLosses) = Net.ForwardWithTrainLosses(batch.TrainImages, batch.TestImages, batch.TrainAnno,
            batch.TestProposals, batch.TrainLabel);
        if (targetScores.Count < 2)
            throw new InvalidOperationException("TrDiMP actor needs at least one filter optimizer iteration (init and final iterates)");

        var isValid = batch.TestAnno[TensorIndex.Ellipsis, 0] < InvalidAnnoThreshold;
        var bbCe = BoxLoss.Compute(bbScores[isValid], batch.ProposalDensity[isValid], batch.GtDensity[isValid], mcDim: 1);
        var lossBbCe = Weights.BbCe * bbCe;

        var clfLosses = targetScores.Select(s => ClassificationLoss.Compute(s, batch.TestLabel)).ToList();
        var lossTargetClf = Weights.TestClf * clfLosses[^1];
        var lossInit = Weights.TestInitClf * clfLosses[0];
        Tensor lossIter = zeros_like(lossInit);
        if (clfLosses.Count > 2)
        {
            var sum = clfLosses[1];
            for (int i = 2; i < clfLosses.Count - 1; i++) sum = sum + clfLosses[i];
            lossIter = Weights.TestIterClf / (clfLosses.Count - 2) * sum;
        }
        var loss = lossBbCe + lossTargetClf + lossInit + lossIter;

        var stats = new Dictionary<string, double>
        {
            ["Loss/total"] = loss.to(ScalarType.Float64).item<double>(),
            ["Loss/bb_ce"] = bbCe.to(ScalarType.Float64).item<double>(),
            ["Loss/loss_bb_ce"] = lossBbCe.to(ScalarType.Float64).item<double>(),
            ["Loss/target_clf"] = lossTargetClf.to(ScalarType.Float64).item<double>(),
            ["Loss/test_init_clf"] = lossInit.to(ScalarType.Float64).item<double>(),
            ["Loss/test_iter_clf"] = lossIter.to(ScalarType.Float64).item<double>(),
            ["ClfTrain/test_loss"] = clfLosses[^1].to(ScalarType.Float64).item<double>(),
            ["ClfTrain/test_init_loss"] = clfLosses[0].to(ScalarType.Float64).item<double>(),
        };
        if (clfLosses.Count > 2)
            stats["ClfTrain/test_iter_loss"] = clfLosses.Skip(1).Take(clfLosses.Count - 2).Average(l => l.to(ScalarType.Float64).item<double>());
        var perIter = clfLosses.Select(l => l.to(ScalarType.Float64).item<double>()).ToArray();
        var train = trainLosses.Select(l => l.to(ScalarType.Float64).item<double>()).ToArray();
        return new TrDiMPActorOutput(loss.MoveToOuterDisposeScope(), stats, perIter, train);
    }
}
