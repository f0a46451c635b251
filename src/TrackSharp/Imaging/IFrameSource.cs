namespace TrackSharp.Imaging;

/// <summary>
/// A sequence of frames (video file, image folder, list of images, camera or stream). Sources are lazy:
/// opening one checks that it exists and can be opened, but nothing is decoded until <see cref="Frames"/> is
/// enumerated, so listing or validating many sequences costs no decoding.
/// </summary>
public interface IFrameSource : IDisposable
{
    /// <summary>Number of frames when known in advance (a folder, a list, a video's header); null for live
    /// sources. For a video this is the container's claim, which can be off by a frame or two.</summary>
    int? Count { get; }

    /// <summary>Frames per second when known (video files and most cameras); null otherwise.</summary>
    double? Fps { get; }

    /// <summary>One human-readable line: the kind of source and its path, e.g. "video /data/bag.avi".</summary>
    string Description { get; }

    /// <summary>
    /// The frames in order. Unreadable frames are yielded with <see cref="Frame.Error"/> set rather than
    /// skipped or thrown. Each <see cref="Frame"/> belongs to the caller, who disposes it. File-based sources
    /// start again from the first frame on every call; live sources continue where they are.
    /// </summary>
    IEnumerable<Frame> Frames();
}
