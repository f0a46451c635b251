using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>What one <see cref="TrDiMPFrameTracker.Track"/> call did: the output box (x, y, w, h in image pixels),
/// the localisation outcome and the intermediate values parity checks look at. The caller owns the tensors.</summary>
public sealed record TrDiMPFrameResult(float X, float Y, float W, float H, LocalizationResult Localization,
    Tensor ScoresRaw, (float Y, float X) SamplePos, float SampleScale, IouBoxRefinement.Trace? Refinement, int? ReplaceIndex) : IDisposable
{
    public void Dispose()
    {
        ScoresRaw.Dispose();
        if (Refinement is { } r)
        {
            r.InitBoxes.Dispose();
            r.OutBoxes.Dispose();
            r.OutPred.Dispose();
            foreach (var t in r.IterBoxes.Concat(r.IterPred)) t.Dispose();
        }
    }
}
