using TrackSharp.Geometry;

namespace TrackSharp.Data.Crop511;

/// <summary>One object to crop from an image: its track number (the <c>{track:02d}</c> of the file name) and its box in
/// the image's pixels.</summary>
public sealed record Crop511Object(int Track, BoxXyxy Box);

/// <summary>One source image of a <see cref="Crop511Video"/>: the file, the frame number of its crops
/// (<c>{frame:06d}</c>) and the objects cropped from it (each gives one <c>{frame:06d}.{track:02d}.x.jpg</c>).</summary>
public sealed record Crop511Image(string Path, int Frame, IReadOnlyList<Crop511Object> Objects);

/// <summary>
/// One video of pysot's crop511 layout as a par_crop.py / gen_json.py pair produces it: the crops go to
/// <c>crop511/&lt;Key&gt;/</c> and the JSON entry <c>Key → {track: {frame: [x1, y1, x2, y2]}}</c> is
/// <see cref="Annotation"/>. The two are separate because pysot's scripts decide them separately (VID crops every
/// object of every frame, but its JSON keeps one snippet per track); an empty <see cref="Annotation"/> is still written
/// (<c>{}</c>), as gen_json.py does for a video whose objects were all filtered out.
/// </summary>
/// <param name="Key">Video key, with '/' between folder levels (e.g. <c>train2017/000000000009</c>).</param>
/// <param name="Images">Images to crop, in order.</param>
/// <param name="Annotation">Track key → frame key → box; null when the video gets no JSON entry.</param>
public sealed record Crop511Video(string Key, IReadOnlyList<Crop511Image> Images,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, BoxXyxy>>? Annotation);
