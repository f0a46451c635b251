using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP.Training;

/// <summary>
/// One batch of ltr's <c>KLDiMPProcessing</c> output, frames first: images (frames, sequences, 3, H, W) ImageNet-normalised,
/// boxes xywh in crop coordinates (frames, sequences, 4), <see cref="TrainLabel"/> the transformer's Gaussian mask
/// (frames, sequences, 22, 22), <see cref="TestLabel"/> the LBHinge target (frames, sequences, 23, 23), proposals
/// (frames, sequences, N, 4) with their proposal and ground-truth densities (frames, sequences, N).
/// Test annotations with x ≥ 99999 mark invalid frames (no box loss), as in ltr.
/// </summary>
public sealed record TrDiMPTrainingBatch(
    Tensor TrainImages, Tensor TestImages, Tensor TrainAnno, Tensor TestAnno, Tensor TrainLabel, Tensor TestLabel,
    Tensor TestProposals, Tensor ProposalDensity, Tensor GtDensity);
