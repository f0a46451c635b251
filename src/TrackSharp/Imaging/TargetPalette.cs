using OpenCvSharp;

namespace TrackSharp.Imaging;

/// <summary>
/// Fixed colours per target index, so target 2 has the same colour in every frame, video and run, and
/// screenshots from different runs can be compared. Pure red is kept out of the palette: it means "lost".
/// Colours are BGR (OpenCV order).
/// </summary>
public static class TargetPalette
{
    private static readonly Scalar[] Colors =
    [
        new(0, 200, 0),      // green
        new(255, 128, 0),    // azure
        new(0, 200, 255),    // amber
        new(255, 0, 255),    // magenta
        new(255, 255, 0),    // cyan
        new(0, 128, 255),    // orange
        new(180, 0, 120),    // purple
        new(128, 255, 128),  // light green
        new(255, 128, 255),  // pink
        new(0, 255, 255),    // yellow
    ];

    /// <summary>The colour used for a lost target: pure red.</summary>
    public static Scalar Lost { get; } = new(0, 0, 255);

    /// <summary>Number of distinct colours before they repeat.</summary>
    public static int Count => Colors.Length;

    /// <summary>The colour of target <paramref name="index"/> (any non-negative index; wraps after <see cref="Count"/>).</summary>
    public static Scalar ColorFor(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Colors[index % Colors.Length];
    }
}
