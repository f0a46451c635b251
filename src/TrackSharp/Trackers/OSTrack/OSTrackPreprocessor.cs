using System.Buffers;
using System.Runtime.InteropServices;
using OpenCvSharp;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// OSTrack's test-time <c>Preprocessor</c> (<c>lib/test/tracker/data_utils.py</c>): a uint8 crop to a normalised
/// [1, 3, H, W] float32 RGB tensor, <c>((v / 255.0) − mean) / std</c> with ImageNet mean/std, each step one float32
/// operation as in the reference (so through a 256-entry table per channel). The crop is OpenCV BGR (the tracker crops
/// the BGR frame; cropping works per channel, so this equals the reference's RGB crop); channels are swapped here.
/// </summary>
public sealed class OSTrackPreprocessor
{
    /// <summary>ImageNet mean (RGB) the reference hard-codes.</summary>
    public static readonly float[] Mean = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet std (RGB) the reference hard-codes.</summary>
    public static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    private readonly float[] _table = new float[3 * 256];

    public OSTrackPreprocessor()
    {
        for (int c = 0; c < 3; c++)
            for (int v = 0; v < 256; v++)
                _table[c * 256 + v] = ((float)v / 255f - Mean[c]) / Std[c];
    }

    /// <summary>The normalised RGB tensor [1, 3, H, W] of a CV_8UC3 BGR crop.</summary>
    public unsafe Tensor Process(Mat bgrCrop)
    {
        if (bgrCrop.Type() != MatType.CV_8UC3)
            throw new ArgumentException($"expected a CV_8UC3 (BGR) crop, got {bgrCrop.Type()}", nameof(bgrCrop));
        int h = bgrCrop.Rows, w = bgrCrop.Cols, plane = h * w;
        float[] buffer = ArrayPool<float>.Shared.Rent(3 * plane);
        try
        {
            fixed (float* dst = buffer)
            fixed (float* table = _table)
            {
                for (int y = 0; y < h; y++)
                {
                    byte* row = (byte*)bgrCrop.Ptr(y);
                    float* r = dst + (long)y * w, g = r + plane, b = g + plane;
                    for (int x = 0; x < w; x++)
                    {
                        byte* px = row + 3 * x;
                        r[x] = table[px[2]];
                        g[x] = table[256 + px[1]];
                        b[x] = table[512 + px[0]];
                    }
                }
            }
            var t = empty([1, 3, h, w], ScalarType.Float32);
            t.bytes = MemoryMarshal.AsBytes(buffer.AsSpan(0, 3 * plane));
            return t;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
