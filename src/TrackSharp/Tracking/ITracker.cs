using OpenCvSharp;
using TrackSharp.Geometry;

namespace TrackSharp.Tracking;

/// <summary>
/// A single-object tracker. Frames are OpenCV BGR uint8 images (CV_8UC3). A tracker instance follows one
/// target; several targets use several instances.
/// </summary>
public interface ITracker : IDisposable
{
    /// <summary>Registry name, e.g. "nanotrack-v3" or "csrt".</summary>
    string Name { get; }

    /// <summary>Starts tracking the target inside <paramref name="box"/> on <paramref name="frame"/>.</summary>
    /// <exception cref="ArgumentException">The box is empty or outside the frame.</exception>
    void Initialize(Mat frame, BoxXywh box);

    /// <summary>Locates the target in the next frame.</summary>
    TrackResult Track(Mat frame);
}
