using TrackSharp.Geometry;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>Intermediate values of the last <see cref="OSTrackTracker.Track(OpenCvSharp.Mat)"/>, for parity checks and
/// debugging (copies; valid until the next call).</summary>
public sealed class OSTrackTrackStep
{
    /// <summary>The state the search region was cut around.</summary>
    public BoxXywh State { get; internal set; }

    /// <summary><c>search_size / crop side</c> (float64).</summary>
    public double ResizeFactor { get; internal set; }

    /// <summary>Raw score map, row-major F×F.</summary>
    public float[] ScoreMap { get; internal set; } = [];

    /// <summary>Hann window × score map, row-major F×F.</summary>
    public float[] Response { get; internal set; } = [];

    /// <summary>Index of the response peak (y·F + x).</summary>
    public int PeakIndex { get; internal set; }

    /// <summary><c>cal_bbox</c> on the response: cxcywh normalised to the search crop (float32 values).</summary>
    public BoxCxcywh PredictedNormalized { get; internal set; }

    /// <summary>The prediction in crop-relative frame pixels (float32 maths).</summary>
    public BoxCxcywh PredictedPixels { get; internal set; }

    /// <summary><c>map_box_back</c>: the prediction in the frame, before clipping.</summary>
    public BoxXywh MappedBack { get; internal set; }

    /// <summary>Removed search-token indices of each CE block (global indices; empty where none were removed).</summary>
    public IReadOnlyList<float[]> RemovedIndexes { get; internal set; } = [];
}
