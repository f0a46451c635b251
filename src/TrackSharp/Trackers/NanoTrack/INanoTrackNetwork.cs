using OpenCvSharp;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// The NanoTrack network as the tracker sees it: a template embedding kept between frames and a head that
/// turns a search crop into classification logits and box distances. Implemented on TorchSharp
/// (<see cref="TorchNanoTrackNetwork"/>) and on ONNX Runtime (the official v2 export).
/// </summary>
public interface INanoTrackNetwork : IDisposable
{
    /// <summary>Side of the score map (v1, v2: 16; v3: 15).</summary>
    int ScoreSize { get; }

    /// <summary>Embeds the 127x127 BGR uint8 template crop (values 0..255, no normalisation).</summary>
    void SetTemplate(Mat templateCrop);

    /// <summary>
    /// Runs the backbone on the 255x255 BGR uint8 search crop and the head on both embeddings.
    /// <paramref name="cls"/> receives the logits as [2, S, S] (channel 1 = foreground), <paramref name="loc"/>
    /// the exp-ed distances (l, t, r, b) in search-crop pixels as [4, S, S], both row-major.
    /// </summary>
    void Track(Mat searchCrop, Span<float> cls, Span<float> loc);
}
