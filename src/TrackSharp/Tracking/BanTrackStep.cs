using TrackSharp.Geometry;

namespace TrackSharp.Tracking;

/// <summary>
/// Intermediate values of the last step of a BAN-head tracker (NanoTrack, SiamBAN), for diagnostics and parity
/// tests. One class for both because <see cref="BanTracking"/> fills it the same way for both; each family derives
/// its own named step type from it.
/// </summary>
public class BanTrackStep
{
    public ContextCrop.Window TemplateWindow { get; internal set; }
    public long TemplateSide { get; internal set; }
    public ContextCrop.Window SearchWindow { get; internal set; }
    public long SearchSide { get; internal set; }
    public double ScaleZ { get; internal set; }
    public int BestIndex { get; internal set; }
    public float BestScore { get; internal set; }
    public double LearningRate { get; internal set; }
    /// <summary>Chosen box in image pixels relative to the previous centre (dx, dy, w, h), float32 as the reference.</summary>
    public (float Dx, float Dy, float Width, float Height) BoxOffset { get; internal set; }
}
