using OpenCvSharp;
using TrackSharp.Geometry;

namespace TrackSharp.Tracking;

/// <summary>Input checks every tracker runs at initialisation, so bad input fails with one clear message.</summary>
public static class TrackerValidation
{
    public static void RequireBgrFrame(Mat frame, string what = "frame")
    {
        if (frame is null || frame.Empty())
            throw new ArgumentException($"{what} is empty");
        if (frame.Type() != MatType.CV_8UC3)
            throw new ArgumentException($"{what} must be a BGR uint8 image (CV_8UC3), got {frame.Type()}");
    }

    public static void RequireBoxInside(BoxXywh box, Mat frame)
    {
        if (!box.IsValid)
            throw new ArgumentException($"initial box {box} must have a positive width and height");
        if (!box.Intersects(frame.Width, frame.Height))
            throw new ArgumentException(
                $"initial box {box} lies outside the {frame.Width}x{frame.Height} frame");
    }
}
