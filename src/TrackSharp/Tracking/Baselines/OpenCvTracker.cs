using OpenCvSharp;
using OpenCvSharp.Tracking;
using TrackSharp.Geometry;

namespace TrackSharp.Tracking.Baselines;

/// <summary>The classic OpenCV trackers available in the bundled OpenCvSharp runtime.</summary>
public enum OpenCvTrackerKind
{
    /// <summary>Discriminative correlation filter with channel and spatial reliability (contrib <c>tracking</c> module).</summary>
    Csrt,

    /// <summary>Kernelized correlation filter (contrib <c>tracking</c> module).</summary>
    Kcf,

    /// <summary>Multiple-instance-learning tracker (main <c>video</c> module).</summary>
    Mil,
}

/// <summary>
/// An OpenCV tracker (CSRT, KCF or MIL) behind <see cref="ITracker"/>, as a baseline for the learned trackers.
/// <para>
/// OpenCV's trackers report only success and an integer rectangle, so <see cref="TrackResult.Score"/> is 1.0 when
/// the update succeeded and 0.0 when it failed; on failure the previous box is kept. The initial box is rounded to
/// whole pixels (left/top/right/bottom rounded separately) and clipped to the frame, because OpenCV works on integer
/// rectangles inside the image; boxes are in the <see cref="BoxXywh"/> convention (a box of width w covers x .. x+w).
/// </para>
/// </summary>
public sealed class OpenCvTracker : ITracker
{
    private readonly TrackerOptions _options;
    private Tracker? _tracker;
    private BoxXywh _lastBox;
    private bool _disposed;

    public OpenCvTracker(OpenCvTrackerKind kind, TrackerOptions? options = null)
    {
        if (!Enum.IsDefined(kind))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown OpenCV tracker kind");
        Kind = kind;
        _options = options ?? new TrackerOptions();
    }

    public OpenCvTrackerKind Kind { get; }

    /// <inheritdoc />
    public string Name => Kind switch
    {
        OpenCvTrackerKind.Csrt => "csrt",
        OpenCvTrackerKind.Kcf => "kcf",
        _ => "mil",
    };

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The frame is empty or not CV_8UC3, or the box is empty or outside the frame.</exception>
    public void Initialize(Mat frame, BoxXywh box)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TrackerValidation.RequireBgrFrame(frame);
        TrackerValidation.RequireBoxInside(box, frame);

        int left = Math.Clamp((int)Math.Round(box.X), 0, frame.Width - 1);
        int top = Math.Clamp((int)Math.Round(box.Y), 0, frame.Height - 1);
        int right = Math.Clamp((int)Math.Round(box.Right), left + 1, frame.Width);
        int bottom = Math.Clamp((int)Math.Round(box.Bottom), top + 1, frame.Height);

        _tracker?.Dispose();
        _tracker = null;
        Tracker tracker = Kind switch
        {
            OpenCvTrackerKind.Csrt => TrackerCSRT.Create(),
            OpenCvTrackerKind.Kcf => TrackerKCF.Create(),
            _ => TrackerMIL.Create(),
        };
        try
        {
            tracker.Init(frame, new Rect(left, top, right - left, bottom - top));
        }
        catch
        {
            tracker.Dispose();
            throw;
        }
        _tracker = tracker;
        _lastBox = box;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The frame is empty or not CV_8UC3.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Initialize"/> has not been called.</exception>
    public TrackResult Track(Mat frame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_tracker is null)
            throw new InvalidOperationException($"{Name}: Initialize must be called before Track");
        TrackerValidation.RequireBgrFrame(frame);

        var rect = new Rect();
        bool ok = _tracker.Update(frame, ref rect) && rect.Width > 0 && rect.Height > 0;
        if (ok)
            _lastBox = new BoxXywh(rect.X, rect.Y, rect.Width, rect.Height);
        double score = ok ? 1.0 : 0.0;
        return new TrackResult(_lastBox, score, score < _options.LostThreshold);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _tracker?.Dispose();
        _tracker = null;
    }
}
