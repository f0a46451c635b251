using System.Runtime.InteropServices;
using OpenCvSharp;

namespace TrackSharp.Imaging;

/// <summary>
/// Copies between OpenCV's interleaved HWC uint8 images and planar CHW float buffers without going through
/// a tensor, for backends that take plain arrays (ONNX Runtime) and for filling tensors in one pass.
/// Channel order is kept as it is (BGR stays BGR); values are not scaled (0..255).
/// </summary>
public static class PlanarConversion
{
    /// <summary>Writes <paramref name="image"/> (CV_8UC3) as 3 planes of H*W floats into <paramref name="destination"/>.</summary>
    public static unsafe void CopyToPlanarFloat(Mat image, Span<float> destination)
    {
        if (image.Type() != MatType.CV_8UC3)
            throw new ArgumentException($"expected a CV_8UC3 image, got {image.Type()}", nameof(image));
        int h = image.Rows, w = image.Cols, plane = h * w;
        if (destination.Length < 3 * plane)
            throw new ArgumentException($"destination holds {destination.Length} floats, needs {3 * plane}");
        fixed (float* dst = destination)
        {
            for (int y = 0; y < h; y++)
            {
                byte* row = (byte*)image.Ptr(y);
                float* c0 = dst + y * w, c1 = c0 + plane, c2 = c1 + plane;
                for (int x = 0; x < w; x++)
                {
                    c0[x] = row[3 * x];
                    c1[x] = row[3 * x + 1];
                    c2[x] = row[3 * x + 2];
                }
            }
        }
    }
}
