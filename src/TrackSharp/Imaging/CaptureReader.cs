using OpenCvSharp;

namespace TrackSharp.Imaging;

/// <summary>
/// The read loop shared by the VideoCapture-based sources. A failed read is only the end of the video when the
/// container does not promise more frames; where CAP_PROP_FRAME_COUNT says frames remain, the failure is a
/// decode error for that index, reported as an unreadable frame, and reading goes on (FFmpeg resumes at the
/// next packet) until several consecutive failures show the rest of the file is unreadable.
/// </summary>
internal static class CaptureReader
{
    /// <summary>Consecutive failed reads, inside the announced frame count, after which reading stops.</summary>
    public const int MaxConsecutiveFailures = 5;

    public static IEnumerable<Frame> Read(VideoCapture capture, string sourcePath, int? announcedCount)
    {
        int index = 0, failures = 0;
        while (true)
        {
            Mat? image = TryReadOne(capture, out string? exception);
            if (image is not null)
            {
                failures = 0;
                yield return new Frame(index++, image, sourcePath);
                continue;
            }
            if (announcedCount is not int count || index >= count)
                yield break;
            failures++;
            string why = exception is null ? "could not be decoded" : $"could not be decoded ({exception})";
            string error = $"'{sourcePath}': frame {index} of {count} {why}";
            bool giveUp = failures >= MaxConsecutiveFailures;
            if (giveUp)
                error += $"; stopped after {failures} consecutive unreadable frames, frames {index + 1}..{count - 1} not read";
            yield return Frame.Unreadable(index++, sourcePath, error);
            if (giveUp)
                yield break;
        }
    }

    private static Mat? TryReadOne(VideoCapture capture, out string? exception)
    {
        exception = null;
        var mat = new Mat();
        try
        {
            if (capture.Read(mat) && !mat.Empty())
                return EnsureBgr(mat);
        }
        catch (OpenCVException e)
        {
            exception = e.Message;
        }
        mat.Dispose();
        return null;
    }

    /// <summary>VideoCapture delivers BGR by default; grey or BGRA sources are converted so callers always get CV_8UC3.</summary>
    private static Mat EnsureBgr(Mat mat)
    {
        if (mat.Type() == MatType.CV_8UC3) return mat;
        var code = mat.Channels() switch
        {
            1 => ColorConversionCodes.GRAY2BGR,
            4 => ColorConversionCodes.BGRA2BGR,
            _ => throw new NotSupportedException($"unsupported video frame type {mat.Type()}"),
        };
        var bgr = new Mat();
        Cv2.CvtColor(mat, bgr, code);
        mat.Dispose();
        return bgr;
    }
}
