using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// The outputs of <see cref="OSTrackModel"/> (OSTrack's <c>out</c> dict): <see cref="PredBoxes"/> [B, 1, 4]
/// (<c>cal_bbox</c> on the raw score map, cxcywh normalised to the search crop), the three head maps,
/// <see cref="BackboneFeat"/> [B, Lz + Lx, C] and the per-CE-location removed search indices
/// (<c>removed_indexes_s</c>; null entries where nothing was removed).
/// </summary>
public sealed record OSTrackOutput(Tensor PredBoxes, Tensor ScoreMap, Tensor SizeMap, Tensor OffsetMap, Tensor BackboneFeat,
    IReadOnlyList<Tensor?> RemovedIndexes) : IDisposable
{
    public void Dispose()
    {
        PredBoxes.Dispose();
        ScoreMap.Dispose();
        SizeMap.Dispose();
        OffsetMap.Dispose();
        BackboneFeat.Dispose();
        foreach (var t in RemovedIndexes) t?.Dispose();
    }
}
