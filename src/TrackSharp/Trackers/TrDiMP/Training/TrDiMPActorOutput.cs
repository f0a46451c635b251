using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP.Training;

/// <summary>
/// What <see cref="TrDiMPActor"/> computes for one batch: the total loss (with autograd graph), ltr's statistics
/// (same keys as the actor's <c>stats</c> dict: <c>Loss/total</c>, <c>Loss/bb_ce</c>, <c>Loss/target_clf</c>, …),
/// the LBHinge loss of every filter iterate and the filter optimizer's training losses.
/// </summary>
public sealed record TrDiMPActorOutput(Tensor Loss, IReadOnlyDictionary<string, double> Stats, IReadOnlyList<double> TestClfLossPerIter,
    IReadOnlyList<double> ClassifierTrainLosses);
