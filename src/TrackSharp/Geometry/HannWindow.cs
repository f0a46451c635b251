using static TorchSharp.torch;

namespace TrackSharp.Geometry;

/// <summary>
/// The Hann (cosine) windows of pytracking's <c>dcf.hann1d/hann2d</c>, used by OSTrack
/// (<c>hann2d([16, 16], centered=True)</c>) to weight the score map before the argmax. Float32 maths in the
/// reference's order: the step <c>2*pi/(sz+1)</c> is rounded to float32, multiplied by the float32 index, the
/// cosine is correctly rounded to float32 (computed in float64 and rounded; this reproduces the reference bits,
/// while libtorch 2.10's vectorised float32 cosine is 1 ulp off for some cells), then <c>0.5*(1 - c)</c> in float32.
/// Convention: cell k of the centred window is at k + 1 of a period of sz + 1 cells (both ends are non-zero).
/// </summary>
public static class HannWindow
{
    /// <summary>
    /// 1-D window of <paramref name="size"/> float32 values. Centred: <c>0.5*(1 - cos(2*pi/(sz+1) * k))</c>,
    /// k = 1..sz. Not centred: <c>w = 0.5*(1 + cos(2*pi/(sz+2) * k))</c>, k = 0..sz/2, followed by
    /// <c>w[1 : sz - sz/2]</c> reversed (peak at index 0).
    /// </summary>
    public static float[] Hann1dValues(int size, bool centered = true)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "window size must be >= 1");
        var result = new float[size];
        if (centered)
        {
            float step = (float)(2 * Math.PI / (size + 1));
            for (int k = 1; k <= size; k++) result[k - 1] = 0.5f * (1f - (float)Math.Cos(step * k));
            return result;
        }
        float stepNc = (float)(2 * Math.PI / (size + 2));
        int half = size / 2 + 1;
        var w = new float[half];
        for (int k = 0; k < half; k++) w[k] = 0.5f * (1f + (float)Math.Cos(stepNc * k));
        w.CopyTo(result, 0);
        // then w[1 : size - size/2] reversed
        int tail = size - half;
        for (int i = 0; i < tail; i++) result[half + i] = w[size - size / 2 - 1 - i];
        return result;
    }

    /// <summary>2-D window values (row-major, height x width): the float32 outer product of the 1-D windows.</summary>
    public static float[] Hann2dValues(int height, int width, bool centered = true)
    {
        float[] wy = Hann1dValues(height, centered), wx = Hann1dValues(width, centered);
        var result = new float[height * width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) result[y * width + x] = wy[y] * wx[x];
        return result;
    }

    /// <summary><see cref="Hann1dValues"/> as a float32 tensor of shape (size).</summary>
    public static Tensor Hann1d(int size, bool centered = true, Device? device = null) =>
        tensor(Hann1dValues(size, centered), [size], device: device);

    /// <summary><see cref="Hann2dValues"/> as a float32 tensor of shape (1, 1, height, width), as the reference.</summary>
    public static Tensor Hann2d(int height, int width, bool centered = true, Device? device = null) =>
        tensor(Hann2dValues(height, width, centered), [1, 1, height, width], device: device);
}
