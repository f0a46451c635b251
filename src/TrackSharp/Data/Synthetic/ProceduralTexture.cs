using System.Runtime.InteropServices;
using OpenCvSharp;

namespace TrackSharp.Data.Synthetic;

/// <summary>Texture families of <see cref="ProceduralTexture"/>.</summary>
public enum TextureFamily
{
    /// <summary>One colour.</summary>
    Plain,

    /// <summary>Smooth value noise: a coarse random grid, bilinearly enlarged, mapped between two colours.</summary>
    Noise,

    /// <summary>Parallel stripes of two colours at a random angle and period.</summary>
    Stripes,

    /// <summary>A checkerboard of two colours with a random cell size.</summary>
    Checker,

    /// <summary>Filled discs of colours between the two on a ground of the first.</summary>
    Blobs,
}

/// <summary>
/// Procedural BGR textures from a <see cref="Random"/>: the same generator state gives the same pixels. Pixels are
/// computed in managed code with integer or IEEE double arithmetic, discs with OpenCV's 8-connected (non-antialiased)
/// rasteriser and the noise grid with OpenCV's fixed-point bilinear resize, so results do not depend on SIMD paths.
/// </summary>
public static class ProceduralTexture
{
    /// <summary>A <paramref name="width"/> x <paramref name="height"/> CV_8UC3 texture; the caller disposes it.</summary>
    public static Mat Render(TextureFamily family, int width, int height, Vec3b colorA, Vec3b colorB, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var mat = new Mat(height, width, MatType.CV_8UC3, new Scalar(colorA.Item0, colorA.Item1, colorA.Item2));
        switch (family)
        {
            case TextureFamily.Plain:
                break;
            case TextureFamily.Noise:
            {
                int cell = random.Next(4, 13);
                int gw = Math.Max(2, width / cell + 2), gh = Math.Max(2, height / cell + 2);
                var grid = new byte[gw * gh];
                random.NextBytes(grid);
                using var small = new Mat(gh, gw, MatType.CV_8UC1);
                Marshal.Copy(grid, 0, small.Data, grid.Length);
                using var large = new Mat();
                Cv2.Resize(small, large, new Size(width, height), 0, 0, InterpolationFlags.Linear);
                var t = new byte[width * height];
                Marshal.Copy(large.Data, t, 0, t.Length);
                Fill(mat, width, height, colorA, colorB, (x, y) => t[y * width + x]);
                break;
            }
            case TextureFamily.Stripes:
            {
                double period = random.Next(6, 21);
                double angle = random.NextDouble() * Math.PI;
                double c = Math.Cos(angle) / (period / 2), s = Math.Sin(angle) / (period / 2);
                Fill(mat, width, height, colorA, colorB, (x, y) => ((long)Math.Floor(x * c + y * s) & 1) == 0 ? 0 : 255);
                break;
            }
            case TextureFamily.Checker:
            {
                int cell = random.Next(5, 17);
                int ox = random.Next(cell), oy = random.Next(cell);
                Fill(mat, width, height, colorA, colorB, (x, y) => (((x + ox) / cell + (y + oy) / cell) & 1) == 0 ? 0 : 255);
                break;
            }
            case TextureFamily.Blobs:
            {
                int rMax = Math.Max(2, Math.Min(width, height) / 4);
                int count = Math.Max(3, width * height / Math.Max(1, rMax * rMax / 2));
                for (int i = 0; i < count; i++)
                {
                    int r = random.Next(Math.Max(1, rMax / 3), rMax + 1);
                    var center = new Point(random.Next(width), random.Next(height));
                    var color = Mix(colorA, colorB, 128 + random.Next(128));
                    Cv2.Circle(mat, center, r, new Scalar(color.Item0, color.Item1, color.Item2), -1, LineTypes.Link8);
                }
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(family));
        }
        return mat;
    }

    /// <summary>The colour <paramref name="t"/>/255 of the way from <paramref name="a"/> to <paramref name="b"/> (integer maths).</summary>
    public static Vec3b Mix(Vec3b a, Vec3b b, int t) => new(
        (byte)((a.Item0 * (255 - t) + b.Item0 * t + 127) / 255),
        (byte)((a.Item1 * (255 - t) + b.Item1 * t + 127) / 255),
        (byte)((a.Item2 * (255 - t) + b.Item2 * t + 127) / 255));

    private static void Fill(Mat mat, int width, int height, Vec3b a, Vec3b b, Func<int, int, int> weight)
    {
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            var c = Mix(a, b, weight(x, y));
            int i = (y * width + x) * 3;
            pixels[i] = c.Item0;
            pixels[i + 1] = c.Item1;
            pixels[i + 2] = c.Item2;
        }
        Marshal.Copy(pixels, 0, mat.Data, pixels.Length);
    }
}
