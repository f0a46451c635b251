using OpenCvSharp;
using TrackSharp.Geometry;

namespace TrackSharp.Tracking.Baselines;

/// <summary>
/// The trivial baseline: reports the initial box on every frame and never looks at the images. Its success and
/// precision on a benchmark are what "not tracking at all" scores there, the floor a learned tracker must clear
/// (on sequences where the target barely moves it is a surprisingly strong floor). Score is always 1, never lost.
/// </summary>
public sealed class FirstBoxTracker : ITracker
{
    private BoxXywh? _box;
    private bool _disposed;

    /// <inheritdoc />
    public string Name => "firstbox";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The frame is empty or not CV_8UC3, or the box is empty or outside the frame
    /// (the same checks as every other tracker, so a bad init box fails here too).</exception>
    public void Initialize(Mat frame, BoxXywh box)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TrackerValidation.RequireBgrFrame(frame);
        TrackerValidation.RequireBoxInside(box, frame);
        _box = box;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException"><see cref="Initialize"/> has not been called.</exception>
    public TrackResult Track(Mat frame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var box = _box ?? throw new InvalidOperationException($"{Name}: Initialize must be called before Track");
        TrackerValidation.RequireBgrFrame(frame);
        return new TrackResult(box, 1.0, false);
    }

    public void Dispose() => _disposed = true;
}
