using OpenCvSharp;
using TrackSharp.Data.Datasets;
using TrackSharp.Imaging;

namespace TrackSharp.Data.Loading;

/// <summary>
/// Frame reads made while building a training sample or a crop set. A missing or undecodable image becomes a
/// <see cref="FrameReadException"/> naming the sequence, the frame and the file, so that the loader can log it and
/// redraw instead of failing the whole run; an index outside the sequence is a bug and stays an
/// <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
public static class SampleFrameReading
{
    /// <summary><see cref="TrackingSequence.ReadFrame"/> (BGR uint8, the caller disposes it) with read and decode failures
    /// reported as <see cref="FrameReadException"/>.</summary>
    /// <exception cref="FrameReadException">The frame file is missing or cannot be decoded.</exception>
    public static Mat ReadSampleFrame(this TrackingSequence sequence, int index)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        try
        {
            return sequence.ReadFrame(index);
        }
        catch (Exception e) when (e is IOException or OpenCvSharpException)
        {
            string? path = index >= 0 && index < sequence.FramePaths.Count ? sequence.FramePaths[index] : null;
            throw new FrameReadException(sequence.Name, index, path, e);
        }
    }

    /// <summary><see cref="ImageIO.Read"/> of frame <paramref name="frame"/> of <paramref name="sequence"/> (BGR uint8,
    /// the caller disposes it) with read and decode failures reported as <see cref="FrameReadException"/>.</summary>
    /// <exception cref="FrameReadException">The image file is missing or cannot be decoded.</exception>
    public static Mat ReadSampleImage(string sequence, int frame, string path)
    {
        try
        {
            return ImageIO.Read(path);
        }
        catch (Exception e) when (e is IOException or OpenCvSharpException)
        {
            throw new FrameReadException(sequence, frame, path, e);
        }
    }
}
