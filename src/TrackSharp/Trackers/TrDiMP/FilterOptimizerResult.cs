using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>What <see cref="DiMPSteepestDescentGN"/> returns: the final filter, every iterate (the input first, the
/// final filter last) and the training losses (before each iteration and after the last; empty when not computed).
/// The caller owns the tensors.</summary>
public sealed record FilterOptimizerResult(Tensor Weights, IReadOnlyList<Tensor> Iterates, IReadOnlyList<Tensor> Losses);
