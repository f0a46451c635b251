using OpenCvSharp;

namespace TrackSharp.Data.Processing;

/// <summary>
/// The image half of pytracking's joint transform (<c>Transform(ToGrayscale, RandomHorizontalFlip)</c> on full frames),
/// shared by <see cref="OSTrackProcessing"/> and <see cref="KlDimpProcessing"/>: grayscale as the reference's
/// <c>cv2.cvtColor(BGR2GRAY)</c> copied back to three channels, then a mirror about the vertical axis.
/// <para>
/// The box half stays with each caller on purpose: KL-DiMP maps the corners in float32 as pytracking's
/// <c>RandomHorizontalFlip.transform_bbox</c> does, OSTrack in double as <c>(W − 1) − (x + w)</c>; each mirrors its own
/// reference, and merging them would change one family's numbers.
/// </para>
/// </summary>
internal static class JointFrameTransform
{
    /// <summary>
    /// Applies the drawn grayscale and flip to a BGR uint8 frame without modifying it.
    /// </summary>
    /// <returns>A new frame the caller disposes, or null when neither <paramref name="gray"/> nor <paramref name="flip"/>
    /// is set (the caller keeps using <paramref name="image"/>, no copy is made).</returns>
    public static Mat? Apply(Mat image, bool gray, bool flip)
    {
        if (!gray && !flip) return null;
        var result = new Mat();
        try
        {
            if (gray)
            {
                using var g = new Mat();
                Cv2.CvtColor(image, g, ColorConversionCodes.BGR2GRAY);
                Cv2.CvtColor(g, result, ColorConversionCodes.GRAY2BGR);
            }
            else
            {
                image.CopyTo(result);
            }
            if (flip) Cv2.Flip(result, result, FlipMode.Y);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }
}
