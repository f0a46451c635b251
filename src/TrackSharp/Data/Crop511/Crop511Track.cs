using TrackSharp.Geometry;

namespace TrackSharp.Data.Crop511;

/// <summary>One track of a crop511 video: its annotated frames (ascending frame numbers) and their boxes in the
/// original frame's pixels (x1, y1, x2, y2), as the annotation JSON lists them.</summary>
/// <param name="Video">Video folder under the crop root (may contain '/', e.g. <c>a/ILSVRC2015_train_00000000</c>).</param>
/// <param name="Track">Track key (<c>00</c>, <c>01</c>, ...).</param>
/// <param name="Frames">Frame numbers, ascending.</param>
/// <param name="Boxes">One box per frame.</param>
public sealed record Crop511Track(string Video, string Track, int[] Frames, BoxXyxy[] Boxes)
{
    /// <summary>"video/track", the sampler's sequence name.</summary>
    public string Name => $"{Video}/{Track}";

    /// <summary>The crop's file name for the frame at <paramref name="position"/> of <see cref="Frames"/>
    /// (<c>{frame:06d}.{track}.x.jpg</c>).</summary>
    public string FileName(int position) => Crop511Layout.FileName(Frames[position], Track);
}
