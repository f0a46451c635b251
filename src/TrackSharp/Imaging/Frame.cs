using OpenCvSharp;

namespace TrackSharp.Imaging;

/// <summary>
/// One frame from an <see cref="IFrameSource"/>. A frame that could not be read is still delivered, with
/// <see cref="Error"/> set and no image, so a caller can report "file X, frame N unreadable" and carry on
/// instead of losing the frame (or the rest of the run) silently. The frame owns its image: dispose it.
/// </summary>
public sealed class Frame : IDisposable
{
    public Frame(int index, Mat? image, string sourcePath, string? error = null)
    {
        Index = index;
        Image = image;
        SourcePath = sourcePath;
        Error = error;
    }

    /// <summary>0-based position in the source, counting unreadable frames too.</summary>
    public int Index { get; }

    /// <summary>The BGR uint8 image (CV_8UC3); null when the frame could not be read.</summary>
    public Mat? Image { get; }

    /// <summary>The image file this frame came from, or the video file / stream / camera it was read from.</summary>
    public string SourcePath { get; }

    /// <summary>Why the frame could not be read (names the file and frame); null for a good frame.</summary>
    public string? Error { get; }

    /// <summary>True when the frame has an image and no error.</summary>
    public bool IsValid => Error is null && Image is { IsDisposed: false } && !Image.Empty();

    /// <summary>Creates an unreadable frame.</summary>
    public static Frame Unreadable(int index, string sourcePath, string error) => new(index, null, sourcePath, error);

    public void Dispose() => Image?.Dispose();

    public override string ToString() =>
        Error is null ? $"frame {Index} of {SourcePath}" : $"frame {Index} of {SourcePath}: {Error}";
}
